# source: https://taourl.com/read-3015890.html — Keras One hot encoding (to_categorical) returns wrong output
# written-for: keras 2.x
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 17
# error: Arguments `target` and `output` must have the same shape

import numpy as np
from keras.models import Sequential
from keras.layers import Input, Dense
from keras.utils import to_categorical

grades = [1, 2, 3, 2, 1, 3]
onehot = to_categorical(grades)
scores = np.random.rand(6, 5)

model = Sequential([Input((5,)), Dense(16, activation="relu"), Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(scores, onehot, epochs=1, verbose=0)
