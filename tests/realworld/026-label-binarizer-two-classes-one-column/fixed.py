# source: https://github.com/keras-team/keras/issues/3109 — Error when checking model target: expected activation_2 to have shape (None, 10) but got array with shape (3, 1)
# written-for: keras 2.3
# runs-with: keras3
# expect: nothing

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from keras.models import Sequential
from keras.layers import Dense

scans = np.random.rand(40, 64)
verdicts = ["negative" if i % 2 else "positive" for i in range(40)]
y = LabelBinarizer().fit_transform(verdicts)

model = Sequential()
model.add(Dense(16, activation="relu", input_dim=64))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(scans, y, epochs=1)
