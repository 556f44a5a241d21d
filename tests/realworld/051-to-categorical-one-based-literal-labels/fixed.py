# source: https://taourl.com/read-3015890.html — Keras One hot encoding (to_categorical) returns wrong output
# written-for: keras 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Input, Dense
from keras.utils import to_categorical

grades = [1, 2, 3, 2, 1, 3]
onehot = to_categorical(np.array(grades) - 1)
scores = np.random.rand(6, 5)

model = Sequential([Input((5,)), Dense(16, activation="relu"), Dense(3, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(scores, onehot, epochs=1, verbose=0)
