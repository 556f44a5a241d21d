# source: https://github.com/keras-team/keras/issues/7303 — sparse_categorical_crossentropy loss function output shape didn't match
# written-for: keras 2.0.5
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.utils import to_categorical

x_train = np.random.rand(8, 79)
y_train = to_categorical(np.random.randint(0, 3570, size=(8,)), 3570)

model = Sequential()
model.add(Dense(64, input_dim=79, activation="relu"))
model.add(Dense(3570, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=1, batch_size=1)
