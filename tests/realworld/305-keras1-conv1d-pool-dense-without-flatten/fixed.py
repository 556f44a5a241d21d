# source: https://github.com/keras-team/keras/issues/5423 — ValueError: Error when checking model target: expected dense_1 to have 3 dimensions, but got array with shape (8544, 5)
# written-for: keras 1.2
# runs-with: tf-keras
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten
from keras.layers import Convolution1D, MaxPooling1D

width, word_dim, n_moods = 3, 300, 5
steps = 100 - width + 1
phrases = np.random.rand(64, steps, width * word_dim)
moods = np.eye(n_moods)[np.random.randint(0, n_moods, size=(64,))]

net = Sequential()
net.add(Convolution1D(100, width, input_shape=(steps, width * word_dim)))
net.add(MaxPooling1D(steps - width + 1))
net.add(Dropout(0.5))
net.add(Flatten())
net.add(Dense(n_moods, activation="softmax"))
net.compile(optimizer="adadelta", loss="categorical_crossentropy", metrics=["accuracy"])
net.fit(phrases, moods, verbose=0)
