# source: https://openillumi.com/keras-conv2d-dimension-error-fix — Keras Conv2Dの次元エラー (expected convolution2d_input_1 to have 4 dimensions, but got array with shape (32, 32, 3))
# written-for: keras 1.x / 2.x
# runs-with: tf-keras
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense


def pictures():
    while True:
        image, label = np.random.rand(32, 32, 3), np.array([1.0])
        yield np.expand_dims(image, axis=0), np.expand_dims(label, axis=0)


model = Sequential()
model.add(Conv2D(32, (3, 3), input_shape=(32, 32, 3)))
model.add(Flatten())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit_generator(pictures(), steps_per_epoch=1, epochs=1)
