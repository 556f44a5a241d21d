# source: https://github.com/keras-team/keras/issues/13820 — ValueError: Error when checking target: expected dense_35 to have shape (2,) but got array with shape (1,)
# written-for: keras 2.3
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Dense

pixels = np.random.rand(40, 2500)
is_dog = np.random.randint(0, 2, size=(40,))

model = Sequential()
model.add(Dense(64, input_dim=2500, activation="relu"))
model.add(Dense(2, activation="softmax"))
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(pixels, is_dog, epochs=1)
