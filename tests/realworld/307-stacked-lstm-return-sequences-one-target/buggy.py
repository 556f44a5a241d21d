# source: https://newbe.dev/error-when-checking-target-expected-dense-1-to-have-3-dimensions-but-got-array-with-shape-118-1 — Error when checking target: expected dense_1 to have 3 dimensions, but got array with shape (118, 1)
# written-for: keras 2.x
# runs-with: keras3
# kind: numpy
# expect: CNN015 @ 17
# raised-by: keras/engine/training_utils.py standardize_input_data (keras 2.2.4): `Error when checking target: expected dense_1 to have 3 dimensions, but got array with shape (118, 1)`; Keras 3 and tf-keras 2.21 broadcast the (118, 1) targets against the (118, 45, 1) predictions and train on a wrong loss

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

windows = np.random.rand(118, 45, 2)
next_value = np.random.rand(118, 1)

model = Sequential()
model.add(LSTM(16, input_shape=(45, 2), return_sequences=True))
model.add(LSTM(16, return_sequences=True))
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(windows, next_value, epochs=1, batch_size=32, verbose=0)
