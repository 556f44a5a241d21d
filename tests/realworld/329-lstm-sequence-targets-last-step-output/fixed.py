# source: https://github.com/keras-team/keras/issues/11554 — Getting error when trying to create a Model in LSTM using Keras to predict the stock market price.
# written-for: keras 2.2.4
# runs-with: keras3
# expect: nothing

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
model.add(LSTM(20, return_sequences=True))
model.add(TimeDistributed(Dense(20, activation="relu")))
model.add(TimeDistributed(Dense(1, activation="linear")))
model.compile(loss="mse", optimizer="adam")
model.fit(features, closing, epochs=1, batch_size=16, verbose=0)
