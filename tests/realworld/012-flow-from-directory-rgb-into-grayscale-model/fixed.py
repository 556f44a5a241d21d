# source: https://github.com/keras-team/keras/issues/13735 — Error with model.fit_generator() : List of Numpy arrays that you are passing to your model is not the size the model expected.
# written-for: keras 2.3 / tensorflow 2.0
# runs-with: keras3
# expect: nothing

from tensorflow.keras.preprocessing.image import ImageDataGenerator
from tensorflow.keras import layers, models

image_size = 128
inputs = layers.Input((image_size, image_size, 1))
h = layers.Conv2D(8, 3, activation="relu")(inputs)
h = layers.GlobalAveragePooling2D()(h)
outputs = layers.Dense(3, activation="softmax")(h)
unet = models.Model(inputs, outputs)
unet.compile(optimizer="adam", loss="categorical_crossentropy")

train_image_generator = ImageDataGenerator(rescale=1. / 255)
train_generator = train_image_generator.flow_from_directory("data/train", target_size=(image_size, image_size),
                                                            batch_size=2, color_mode="grayscale")
unet.fit(train_generator, steps_per_epoch=1, epochs=1)
