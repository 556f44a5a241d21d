# source: https://github.com/keras-team/keras/issues/13735 — Error with model.fit_generator() : List of Numpy arrays that you are passing to your model is not the size the model expected.
# written-for: keras 2.3 / tensorflow 2.0
# runs-with: keras3
# kind: generators
# expect: CNN012 @ 23
# error: expected axis -1 of input shape to have value 1
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

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
                                                            batch_size=2)
unet.fit(train_generator, steps_per_epoch=1, epochs=1)
