# source: https://github.com/keras-team/keras/issues/13820 — ValueError: Error when checking target: expected dense_35 to have shape (2,) but got array with shape (1,)
# written-for: keras 2.3
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 20
# error: Arguments `target` and `output` must have the same rank
# raised-by: keras/engine/training_utils.py, standardize_input_data / check_loss_and_target_compatibility (keras 2.x): `Error when checking target: expected ... to have shape ...`; here the loss raises instead

import numpy as np
from keras.models import Sequential
from keras.layers import Dense

pixels = np.random.rand(40, 2500)
is_dog = np.random.randint(0, 2, size=(40,))

model = Sequential()
model.add(Dense(64, input_dim=2500, activation="relu"))
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(pixels, is_dog, epochs=1)
