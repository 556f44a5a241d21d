# source: https://github.com/keras-team/keras/issues/6242 — Problem with conv1D dimension
# written-for: keras 2.0 (tensorflow backend)
# runs-with: keras3
# kind: numpy
# expect: CNN012 @ 21
# expect: CNN013 @ 21
# error: Expected shape (None, 569, 30), but input has incompatible shape (None, 30)
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy
from keras.models import Sequential
from keras.layers import Conv1D

table = numpy.random.rand(569, 31)
cells = table[:, 1:31]
diagnosis = table[:, 0]

clf = Sequential()
clf.add(Conv1D(2, 2, activation="relu", input_shape=cells.shape))
clf.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
clf.fit(cells, diagnosis, epochs=1, batch_size=5)
