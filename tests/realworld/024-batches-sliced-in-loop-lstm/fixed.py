# source: https://github.com/keras-team/keras/issues/1641 — Help: 'Wrong number of dimensions: expected 3, got 2 with shape (32L, 60L).' in LSTM model
# written-for: keras 1.x (theano)
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

windows = np.random.rand(96, 60)
nexts = np.random.rand(96, 1)
windows = windows.reshape(windows.shape[0], 1, windows.shape[1])

rnn = Sequential()
rnn.add(LSTM(8, input_shape=(1, 60)))
rnn.add(Dense(1))
rnn.compile(loss="mean_squared_error", optimizer="adam")
for start in range(0, len(windows), 32):
    rnn.train_on_batch(windows[start:start + 32], nexts[start:start + 32])
