# source: https://github.com/tensorflow/tensorflow/issues/28323 — Input-shape validation error when using TimeDistributed wrapper
# written-for: tensorflow 2.0
# runs-with: keras3
# expect: nothing

import numpy as np
from tensorflow.keras import layers, models

# A small CNN for one 28x28 grey frame ...
cnn = models.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
])

# ... run on every frame of a sequence of 3, feeding an LSTM.
model = models.Sequential([
    layers.Input(shape=(3, 28, 28, 1)),
    layers.TimeDistributed(cnn),
    layers.LSTM(16),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")

x_train = np.zeros((4, 3, 28, 28, 1))  # four sequences of three frames
y_train = np.zeros((4, 2))
model.fit(x_train, y_train, epochs=1, verbose=0)
