# source: https://github.com/keras-team/keras/issues/7339 — ValueError: Error when checking target: expected dense_14 to have shape (None, 2) but got array with shape (928, 1)
# written-for: keras 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense

strokes = np.random.rand(64, 40)
letters = np.random.randint(97, 123, size=(64,))
onehot = keras.utils.to_categorical(letters - 97, 26)

model = Sequential()
model.add(Dense(32, activation="relu", input_shape=(40,)))
model.add(Dense(26, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(strokes, onehot, epochs=1)
