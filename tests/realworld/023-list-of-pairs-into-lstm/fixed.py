# source: https://github.com/keras-team/keras/issues/6351 — Expected 3 dimensions but got array with shape (11, 2)
# written-for: keras 2.0
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

samples = []
for i in range(11):
    samples.append([float(i), float(i + 1)])
X = np.array(samples)
X = np.reshape(X, (X.shape[0], 1, X.shape[1]))
y = np.random.rand(11, 1)

model = Sequential()
model.add(LSTM(4, input_shape=(1, 2)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
