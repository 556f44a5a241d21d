# source: https://github.com/keras-team/keras/issues/2415 — Input 0 is incompatible with layer dense_1: expected ndim=2, found ndim=3
# written-for: keras 1.x
# runs-with: tf-keras
# kind: numpy
# expect: CNN012 @ 23
# error: expected shape=(None, None, 10), found shape=(None, 10, 1)
# raised-by: keras/engine/training.py standardize_input_data (keras 1.2.2): `Error when checking model input: expected lstm_input_1 to have shape (None, None, 10) but got array with shape (90, 10, 1)`: a recurrent layer's `input_dim` is the size of each step, not the window length (Keras 1 and tf-keras build the LSTM for (None, None, 10) and refuse the data at fit: CNN012 under those targets); Keras 3 turns `input_dim=10` into an input of shape (None, 10) for every layer and refuses it as rank 2 when the LSTM is added: CNN006 under `--keras-version 3`; for an unstated Keras cnnlint reads the Keras 1/2 meaning (CNN012)

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

look_back = 10
series = np.random.rand(100)
trainX = np.array([series[i:i + look_back] for i in range(len(series) - look_back)])
trainY = series[look_back:]
trainX = np.reshape(trainX, (trainX.shape[0], trainX.shape[1], 1))

model = Sequential()
model.add(LSTM(10, input_dim=look_back))
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(trainX, trainY, epochs=1, batch_size=16, verbose=0)
