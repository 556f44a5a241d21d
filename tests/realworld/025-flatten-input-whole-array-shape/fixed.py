# source: https://github.com/keras-team/keras/issues/7332 — input_shape error
# written-for: keras 2.0.5
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.utils import to_categorical

pixels = np.random.rand(420, 1, 28, 28)
digits = to_categorical(np.random.randint(0, 10, size=(420,)), 10)
pixels = pixels.reshape(pixels.shape[0], 784)

def baseline_model():
    mlp = Sequential()
    mlp.add(Dense(784, input_dim=784, activation="relu"))
    mlp.add(Dense(10, activation="softmax"))
    mlp.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return mlp

mlp = baseline_model()
mlp.fit(pixels, digits, epochs=1, batch_size=200, verbose=2)
