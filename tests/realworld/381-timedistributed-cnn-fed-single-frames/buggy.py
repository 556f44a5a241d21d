# source: https://github.com/tensorflow/tensorflow/issues/28323 — Input-shape validation error when using TimeDistributed wrapper
# written-for: tensorflow 2.0
# runs-with: keras3
# kind: numpy
# expect: CNN012 @ 31
# error: Negative dimension size
# raised-by: tf.keras 2.0 keras/engine/training_utils.py standardize_input_data: `Error when checking input: expected time_distributed_input to have 5 dimensions, but got array with shape (4, 28, 28, 1)`; Keras 3 adds a trailing axis of 1 to the rank-4 array and runs the CNN on 28 "frames" of (28, 1, 1): its 3x3 conv then fails ("Negative dimension size caused by subtracting 3 from 1")

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

x_train = np.zeros((4, 28, 28, 1))  # single frames: the steps axis is missing
y_train = np.zeros((4, 2))
model.fit(x_train, y_train, epochs=1, verbose=0)
