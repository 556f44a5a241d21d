# source: https://errorhandle.ai/keras-valueerror-valueerror-error-when-checking-target-expected-dense-4-to-have-shape-none-2-but-got-array-with-shape-2592-1-python3 — Keras ValueError: Error when checking target: expected dense_4 to have shape (None, 2) but got array with shape (2592, 1)
# written-for: keras 2.x (python 3)
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.utils import to_categorical

X_train = np.random.rand(2592, 10)
Y_train = np.random.randint(0, 2, size=(2592, 1))
Y_train = to_categorical(Y_train, num_classes=2)

model = Sequential()
model.add(Dense(16, activation="relu", input_dim=10))
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X_train, Y_train, epochs=1, batch_size=256)
