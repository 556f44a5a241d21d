# source: https://github.com/keras-team/keras/issues/2415 — Input 0 is incompatible with layer dense_1: expected ndim=2, found ndim=3
# written-for: keras 1.x
# runs-with: tf-keras
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

look_back = 10
series = np.random.rand(100)
trainX = np.array([series[i:i + look_back] for i in range(len(series) - look_back)])
trainY = series[look_back:]
trainX = np.reshape(trainX, (trainX.shape[0], trainX.shape[1], 1))

model = Sequential()
model.add(LSTM(10, input_shape=(look_back, 1)))
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(trainX, trainY, epochs=1, batch_size=16, verbose=0)
