# source: https://github.com/keras-team/keras/issues/6242 — Problem with conv1D dimension
# written-for: keras 2.0 (tensorflow backend)
# runs-with: keras3
# expect: nothing

import numpy
from keras.models import Sequential
from keras.layers import Conv1D, Flatten, Dense

table = numpy.random.rand(569, 31)
cells = table[:, 1:31]
diagnosis = table[:, 0]
cells = numpy.expand_dims(cells, axis=2)

clf = Sequential()
clf.add(Conv1D(2, 2, activation="relu", input_shape=(30, 1)))
clf.add(Flatten())
clf.add(Dense(1, activation="sigmoid"))
clf.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
clf.fit(cells, diagnosis, epochs=1, batch_size=64)
