# source: https://github.com/keras-team/keras/issues/6351 — Expected 3 dimensions but got array with shape (11, 2)
# written-for: keras 2.0
# runs-with: keras3
# kind: python
# expect: CNN012 @ 23
# error: Expected shape (None, 1, 2), but input has incompatible shape (None, 2)
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

samples = []
for i in range(11):
    samples.append([float(i), float(i + 1)])
X = np.array(samples)
y = np.random.rand(11, 1)

model = Sequential()
model.add(LSTM(4, input_shape=(1, 2)))
model.add(Dense(1))
model.compile(loss="mse", optimizer="adam")
model.fit(X, y, epochs=1)
