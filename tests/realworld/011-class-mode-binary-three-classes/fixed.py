# source: https://newbetuts.com/49392972-error-when-checking-target-expected-dense-3-to-have-shape-3-but-got-array-with-shape-1 — Error when checking target: expected dense_3 to have shape (3,) but got array with shape (1,)
# written-for: keras 2.1
# runs-with: tf-keras
# expect: nothing

from keras.preprocessing.image import ImageDataGenerator
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

img_width, img_height = 64, 64
model = Sequential([
    Conv2D(8, (3, 3), activation="relu", input_shape=(img_width, img_height, 3), padding="same"),
    MaxPooling2D(pool_size=(2, 2), strides=(2, 2)),
    Flatten(),
    Dense(3, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])

train_datagen = ImageDataGenerator(rescale=1. / 255)
train_generator = train_datagen.flow_from_directory("data/train", target_size=(img_width, img_height),
                                                    batch_size=5, class_mode="categorical")
model.fit_generator(train_generator, steps_per_epoch=1, epochs=1)
