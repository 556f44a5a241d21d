# source: https://github.com/keras-team/keras/issues/7339 — ValueError: Error when checking target: expected dense_14 to have shape (None, 2) but got array with shape (928, 1)
# written-for: keras 2.x
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 23
# error: Arguments `target` and `output` must have the same shape
# raised-by: keras/engine/training_utils.py, standardize_input_data / check_loss_and_target_compatibility (keras 2.x): `Error when checking target: expected ... to have shape ...`; here the loss raises instead
# missed: to_categorical without num_classes makes max(label) + 1 columns, a data value (randint(97, 123) gives 98..123, never 26)

import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense

strokes = np.random.rand(64, 40)
letters = np.random.randint(97, 123, size=(64,))
onehot = keras.utils.to_categorical(letters)

model = Sequential()
model.add(Dense(32, activation="relu", input_shape=(40,)))
model.add(Dense(26, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(strokes, onehot, epochs=1)
