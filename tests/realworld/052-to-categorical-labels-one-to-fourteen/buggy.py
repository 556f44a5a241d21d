# source: https://example-a.com/answer/61740817 — converting numerical output labels to categorical vectors in keras
# written-for: keras 2.x
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 20
# error: Arguments `target` and `output` must have the same shape

import numpy as np
from keras.models import Sequential
from keras.layers import Input, Dense
from keras.utils import to_categorical

# The 14 classes are numbered 1 to 14.
classes = np.array([1, 8, 9, 7, 2, 2, 8, 3, 4, 5, 6, 10, 11, 12, 13, 14])
y_train = to_categorical(classes)
x_train = np.random.rand(16, 20)

model = Sequential()
model.add(Input((20,)))
model.add(Dense(14, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(x_train, y_train, epochs=1, verbose=0)
