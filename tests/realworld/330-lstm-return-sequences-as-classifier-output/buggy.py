# source: https://github.com/keras-team/keras/issues/12996 — error
# written-for: keras 2.2.4
# runs-with: keras3
# kind: numpy
# expect: CNN013 @ 17
# error: must have the same
# raised-by: keras/engine/training_utils.py standardize_input_data (keras 2.2.4): `Error when checking target: expected lstm_27 to have 3 dimensions, but got array with shape (150, 1)`; Keras 3 raises in the categorical cross-entropy instead

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

spectra = np.random.rand(150, 100, 20)
species = np.random.randint(0, 3, size=(150, 1))

model = Sequential()
model.add(LSTM(32, input_shape=(100, 20), return_sequences=True))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
model.summary()
model.fit(spectra, species, epochs=1, batch_size=32, verbose=0)
