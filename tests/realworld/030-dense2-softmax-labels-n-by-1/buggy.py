# source: https://errorhandle.ai/keras-valueerror-valueerror-error-when-checking-target-expected-dense-4-to-have-shape-none-2-but-got-array-with-shape-2592-1-python3 — Keras ValueError: Error when checking target: expected dense_4 to have shape (None, 2) but got array with shape (2592, 1)
# written-for: keras 2.x (python 3)
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 20
# error: Received: target.shape=(None, 1), output.shape=(None, 2)
# raised-by: keras/engine/training_utils.py, standardize_input_data / check_loss_and_target_compatibility (keras 2.x): `Error when checking target: expected ... to have shape ...`; here the loss raises instead

import numpy as np
from keras.models import Sequential
from keras.layers import Dense

X_train = np.random.rand(2592, 10)
Y_train = np.random.randint(0, 2, size=(2592, 1))

model = Sequential()
model.add(Dense(16, activation="relu", input_dim=10))
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X_train, Y_train, epochs=1, batch_size=256)
