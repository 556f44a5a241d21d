# source: https://github.com/keras-team/keras/issues/7749 — sparse_categorical_crossentropy requires a single output
# written-for: keras 2.0.6
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation

model = Sequential()
model.add(Dense(2, input_shape=(None, 2)))
model.add(Activation("softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])

inp = np.array([[[2, 3]]])
out = np.array([[[1, 0]]])
model.fit(inp, out, epochs=1)
