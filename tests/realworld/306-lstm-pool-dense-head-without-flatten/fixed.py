# source: https://github.com/keras-team/keras/issues/6351 — Expected 3 dimensions but got array with shape (11, 2)
# written-for: keras 2.0
# runs-with: tf-keras
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, TimeDistributed, Dense, AveragePooling1D, Flatten

recordings = np.random.rand(11, 1200, 19)
verdicts = np.eye(2)[np.random.randint(0, 2, size=(11,))]

model = Sequential()
model.add(LSTM(24, input_shape=(1200, 19), return_sequences=True))
model.add(TimeDistributed(Dense(1)))
model.add(AveragePooling1D())
model.add(Flatten())
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop")
model.fit(recordings, verdicts, epochs=1, batch_size=6000, verbose=0)
