# source: https://github.com/keras-team/keras/issues/5663 — Error when checking model target: expected activation_1 to have shape
# written-for: keras 1.2
# runs-with: keras3
# kind: numpy
# expect: CNN015 @ 20
# raised-by: keras/engine/training.py standardize_input_data (keras 1.2.2): `Error when checking model target: expected activation_1 to have shape (2688, 96, 96) but got array with shape (2688, 96, 1)` (Keras 1 and 2.0-2.3 compare the target with the output shape); tf-keras 2.21 and Keras 3 broadcast the (n, 96, 1) targets against the (n, 96, 96) predictions in the mean squared error and train silently
# expect-pinned: CNN013 @ 20

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, TimeDistributed, Dense, Activation

in_out_neurons = 96
history = np.random.rand(64, in_out_neurons, 1)
future = np.random.rand(64, in_out_neurons, 1)

model = Sequential()
model.add(LSTM(32, input_shape=(in_out_neurons, 1), return_sequences=True))
model.add(LSTM(16, return_sequences=True))
model.add(TimeDistributed(Dense(96, activation="relu")))
model.add(Activation("linear"))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(history, future, batch_size=64, verbose=0)
