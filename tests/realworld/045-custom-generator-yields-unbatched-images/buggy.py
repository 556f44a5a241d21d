# source: https://openillumi.com/keras-conv2d-dimension-error-fix — Keras Conv2Dの次元エラー (expected convolution2d_input_1 to have 4 dimensions, but got array with shape (32, 32, 3))
# written-for: keras 1.x / 2.x
# runs-with: tf-keras
# kind: python
# expect: CNN012 @ 25
# error: expected min_ndim=4, found ndim=3
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead
# was-missed: a Python generator function's yields are not followed into fit_generator: each batch is one (32, 32, 3) image

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense


def pictures():
    while True:
        yield np.random.rand(32, 32, 3), np.array([1.0])


model = Sequential()
model.add(Conv2D(32, (3, 3), input_shape=(32, 32, 3)))
model.add(Flatten())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit_generator(pictures(), steps_per_epoch=1, epochs=1)
