# source: https://github.com/keras-team/keras/issues/7303 — sparse_categorical_crossentropy loss function output shape didn't match
# written-for: keras 2.0.5
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 21
# error: Argument `output` must have rank (ndim) `target.ndim - 1`
# raised-by: keras/engine/training_utils.py, standardize_input_data / check_loss_and_target_compatibility (keras 2.x): `Error when checking target: expected ... to have shape ...`; here the loss raises instead

import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.utils import to_categorical

x_train = np.random.rand(8, 79)
y_train = to_categorical(np.random.randint(0, 3570, size=(8,)), 3570)

model = Sequential()
model.add(Dense(64, input_dim=79, activation="relu"))
model.add(Dense(3570, activation="sigmoid"))
model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=1)
