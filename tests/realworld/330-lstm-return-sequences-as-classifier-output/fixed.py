# source: https://github.com/keras-team/keras/issues/12996 — error
# written-for: keras 2.2.4
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

spectra = np.random.rand(150, 100, 20)
species = np.eye(3)[np.random.randint(0, 3, size=(150,))]

model = Sequential()
model.add(LSTM(32, input_shape=(100, 20)))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
model.summary()
model.fit(spectra, species, epochs=1, batch_size=32, verbose=0)
