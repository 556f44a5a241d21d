# source: https://github.com/keras-team/keras/issues/13151 — BEFORE(Error when checking input: expected conv1d_37_input to have 3 dimensions, but got array with shape (50000, 2)) AFTER( Input 0 is incompatible with layer conv1d_39: expected ndim=3, found ndim=4
# written-for: keras 2.2.4
# runs-with: keras3
# expect: nothing

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from keras.models import Sequential
from keras.layers import Conv1D, Flatten, Dense

veriyeni1 = pd.DataFrame(np.random.rand(500, 2), columns=["a", "b"])
veriyeni2 = pd.DataFrame(np.random.rand(500, 1), columns=["t"])
X = veriyeni1.values[:]
Y = veriyeni2.values[:]
X = np.expand_dims(X, axis=2)
(X_train, X_test, Y_train, Y_test) = train_test_split(X, Y, test_size=0.33, random_state=737454)

model = Sequential()
model.add(Conv1D(filters=8, kernel_size=1, activation="relu", input_shape=X_train.shape[1:]))
model.add(Flatten())
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X_train, Y_train, epochs=1, batch_size=32)
