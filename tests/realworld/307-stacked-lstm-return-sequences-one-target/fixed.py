# source: https://newbe.dev/error-when-checking-target-expected-dense-1-to-have-3-dimensions-but-got-array-with-shape-118-1 — Error when checking target: expected dense_1 to have 3 dimensions, but got array with shape (118, 1)
# written-for: keras 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

windows = np.random.rand(118, 45, 2)
next_value = np.random.rand(118, 1)

model = Sequential()
model.add(LSTM(16, input_shape=(45, 2), return_sequences=True))
model.add(LSTM(16, return_sequences=False))
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(windows, next_value, epochs=1, batch_size=32, verbose=0)
