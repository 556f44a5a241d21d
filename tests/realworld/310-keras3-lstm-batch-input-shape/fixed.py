# source: https://github.com/keras-team/keras/issues/20106 — Unrecognized keyword arguments passed to LSTM: {'batch_input_shape'
# written-for: keras 3.4 (tensorflow 2.17)
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Input, LSTM, Dense

lagged = np.random.rand(20, 1, 7)
target = np.random.rand(20, 1)

model = Sequential()
model.add(Input(batch_shape=(1, lagged.shape[1], lagged.shape[2])))
model.add(LSTM(4, stateful=True))
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(lagged, target, epochs=1, batch_size=1, verbose=0, shuffle=False)
