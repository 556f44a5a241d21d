# source: https://github.com/keras-team/keras/issues/1641 — Help: 'Wrong number of dimensions: expected 3, got 2 with shape (32L, 60L).' in LSTM model
# written-for: keras 1.x (theano)
# runs-with: keras3
# kind: python
# expect: CNN012 @ 21
# error: Expected shape (None, 1, 60), but input has incompatible shape (32, 60)
# raised-by: theano/tensor/type.py, TensorType.filter (keras 1.x on Theano): `Wrong number of dimensions: expected 3, got 2 with shape (32, 60)`; here Keras 3 raises at the model's input

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

windows = np.random.rand(96, 60)
nexts = np.random.rand(96, 1)

rnn = Sequential()
rnn.add(LSTM(8, input_shape=(1, 60)))
rnn.add(Dense(1))
rnn.compile(loss="mean_squared_error", optimizer="adam")
for start in range(0, len(windows), 32):
    rnn.train_on_batch(windows[start:start + 32], nexts[start:start + 32])
