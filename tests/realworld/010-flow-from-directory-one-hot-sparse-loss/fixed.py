# source: https://github.com/keras-team/keras/issues/8404 — Error when checking target: expected dense_1 to have shape (None, 1) but got array with shape (64, 120)
# written-for: keras 2.0.9
# runs-with: tf-keras
# expect: nothing

from keras.preprocessing.image import ImageDataGenerator
from keras.layers import Input, Conv2D, GlobalAveragePooling2D, Dense
from keras.models import Model

gen = ImageDataGenerator(rescale=1. / 255)
train_batches = gen.flow_from_directory("data/train", target_size=(64, 64), batch_size=4)

img_input = Input(shape=(64, 64, 3))
x = Conv2D(8, 3, activation="relu")(img_input)
x = GlobalAveragePooling2D()(x)
x = Dense(train_batches.num_classes, activation="softmax")(x)
model = Model(img_input, x)
model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
model.fit_generator(train_batches, steps_per_epoch=1, epochs=1)
