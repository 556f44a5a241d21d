# source: https://github.com/keras-team/keras/issues/20106 — Unrecognized keyword arguments passed to LSTM: {'batch_input_shape'
# written-for: keras 3.4 (tensorflow 2.17)
# runs-with: keras3
# kind: other
# expect: CNN007 @ 17
# error: Unrecognized keyword arguments passed to LSTM
# missed-unstated: Keras 2 and tf-keras accept `batch_input_shape=` on a layer, Keras 3 refuses it (`Unrecognized keyword arguments passed to LSTM`): nothing is certain for an unstated Keras; read for its Keras 3, CNN007

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

lagged = np.random.rand(20, 1, 7)
target = np.random.rand(20, 1)

model = Sequential()
model.add(LSTM(4, batch_input_shape=(1, lagged.shape[1], lagged.shape[2]), stateful=True))
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(lagged, target, epochs=1, batch_size=1, verbose=0, shuffle=False)
