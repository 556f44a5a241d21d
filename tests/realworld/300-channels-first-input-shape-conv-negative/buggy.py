# source: https://www.e-learn.cn/qa/answer/389272/1161311.html — Negative dimension size caused by subtracting 3 from 1 for 'conv2d_2'
# written-for: keras 2.x (tensorflow backend)
# runs-with: keras3
# kind: numpy
# expect: CNN005 @ 18
# error: Computed output size would be zero or negative
# raised-by: keras 2.x on TensorFlow 1.x: tensorflow/python/framework/common_shapes.py (the Conv2D shape function), `Negative dimension size caused by subtracting 3 from 1`; Keras 3 raises in keras/src/ops/operation_utils.py compute_conv_output_shape

import numpy as np
from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense
from keras.utils import to_categorical

scans = np.random.rand(32, 1, 28, 28)
kinds = to_categorical(np.random.randint(0, 10, size=(32,)), 10)

clf = Sequential()
clf.add(Convolution2D(32, (3, 3), activation="relu", input_shape=(1, 28, 28)))
clf.add(Convolution2D(32, (3, 3), activation="relu"))
clf.add(MaxPooling2D(pool_size=(2, 2)))
clf.add(Flatten())
clf.add(Dense(10, activation="softmax"))
clf.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
clf.fit(scans, kinds, batch_size=8, epochs=1, verbose=0)
