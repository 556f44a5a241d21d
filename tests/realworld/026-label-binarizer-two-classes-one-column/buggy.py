# source: https://github.com/keras-team/keras/issues/3109 — Error when checking model target: expected activation_2 to have shape (None, 10) but got array with shape (3, 1)
# written-for: keras 2.3
# runs-with: keras3
# kind: sklearn
# expect: CNN013 @ 22
# error: Received: target.shape=(None, 1), output.shape=(None, 2)
# raised-by: keras/engine/training_utils.py, standardize_input_data / check_loss_and_target_compatibility (keras 2.x): `Error when checking target: expected ... to have shape ...`; here the loss raises instead

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from keras.models import Sequential
from keras.layers import Dense

scans = np.random.rand(40, 64)
verdicts = ["negative" if i % 2 else "positive" for i in range(40)]
y = LabelBinarizer().fit_transform(verdicts)

model = Sequential()
model.add(Dense(16, activation="relu", input_dim=64))
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(scans, y, epochs=1)
