# source: https://github.com/keras-team/keras/issues/9282 — Getting shape error
# written-for: keras 2.1
# runs-with: tf-keras
# expect: nothing

import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense

rows = np.array([[500, 6, 72, 19], [300, 5, 50, 12], [700, 5, 50, 12], [600, 5, 50, 12]] * 3)
pd.DataFrame(rows).to_csv("orders.csv", index=False)

table = pd.read_csv("orders.csv").values
features = table[:, 0:3]
target = table[:, 3]

model = Sequential()
model.add(Dense(8, input_dim=3, activation="relu"))
model.add(Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(features, target, epochs=1, verbose=0)
