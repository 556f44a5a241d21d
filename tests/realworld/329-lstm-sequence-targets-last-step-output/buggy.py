# source: https://github.com/keras-team/keras/issues/11554 — Getting error when trying to create a Model in LSTM using Keras to predict the stock market price.
# written-for: keras 2.2.4
# runs-with: keras3
# kind: numpy
# expect: CNN015 @ 22
# raised-by: keras/engine/training_utils.py standardize_input_data (keras 2.2.4): `Error when checking target: expected dense_33 to have 2 dimensions, but got array with shape (64, 20, 1)`; tf-keras 2.21 and Keras 3 broadcast the (64, 20, 1) targets against the (64, 1) predictions in the mean squared error and train silently
# expect-pinned: CNN013 @ 22

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dropout, Dense, TimeDistributed

prices = np.random.rand(1280, 5)
features = prices[:, :4].reshape(64, 20, 4)
closing = prices[:, 4].reshape(64, 20, 1)

model = Sequential()
model.add(LSTM(20, return_sequences=True, input_shape=(20, 4)))
model.add(Dropout(0.2))
model.add(LSTM(20, return_sequences=True))
model.add(Dropout(0.2))
model.add(LSTM(20))
model.add(Dense(20, activation="relu"))
model.add(Dense(1, activation="linear"))
model.compile(loss="mse", optimizer="adam")
model.fit(features, closing, epochs=1, batch_size=16, verbose=0)
