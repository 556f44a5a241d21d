# source: https://github.com/kr-colab/diploSHIC/issues/55 — Incompatibility with Keras 3
# written-for: keras 3.3 (tensorflow 2.16)
# runs-with: keras3
# kind: generators
# expect: CNN007 @ 17
# error: cannot import name 'ImageDataGenerator'
# missed-unstated: Keras 1-2 and tf.keras have `keras.preprocessing.image.ImageDataGenerator`, standalone Keras 3 does not (only its `tf.keras` keeps the legacy class): nothing is certain for an unstated Keras; read for its Keras 3, CNN007

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense
from keras.preprocessing.image import ImageDataGenerator

images = np.random.rand(16, 32, 32, 1)
labels = np.eye(2)[np.random.randint(0, 2, size=(16,))]

augment = ImageDataGenerator(
    horizontal_flip=True,
    width_shift_range=0.1,
)
model = Sequential([
    Conv2D(8, (3, 3), activation="relu", input_shape=(32, 32, 1)),
    Flatten(),
    Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(augment.flow(images, labels, batch_size=8), steps_per_epoch=2, epochs=1, verbose=0)
