# source: https://github.com/keras-team/keras/issues/6351 — Expected 3 dimensions but got array with shape (11, 2)
# written-for: keras 2.0
# runs-with: tf-keras
# kind: numpy
# expect: CNN010 @ 20
# error: are incompatible
# raised-by: keras/engine/training.py _standardize_input_data (keras 2.0.3): `Error when checking model target: expected dense_2 to have 3 dimensions, but got array with shape (11, 2)`; tf-keras 2.21 raises in the loss instead (Keras 3 refuses AveragePooling1D() without a pool_size, so the program runs on tf-keras)

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, TimeDistributed, Dense, AveragePooling1D

recordings = np.random.rand(11, 1200, 19)
verdicts = np.eye(2)[np.random.randint(0, 2, size=(11,))]

model = Sequential()
model.add(LSTM(24, input_shape=(1200, 19), return_sequences=True))
model.add(TimeDistributed(Dense(1)))
model.add(AveragePooling1D())
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop")
model.fit(recordings, verdicts, epochs=1, batch_size=6000, verbose=0)
