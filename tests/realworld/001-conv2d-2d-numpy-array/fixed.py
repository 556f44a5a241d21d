# source: https://gamingcommission.club/stackoverflow.com/questions/60648191/tensorflow-keras-conv2d-error-with-2d-numpy-array-input — Tensorflow Keras Conv2D error with 2D numpy array input
# written-for: tensorflow 2.1 (tf.keras)
# runs-with: keras3
# expect: nothing

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, Flatten, Dense

grid = np.random.rand(21, 21)
score = np.array([0.5])
grid = grid.reshape(1, 21, 21, 1)

net = Sequential()
net.add(Conv2D(32, (3, 3), activation="relu", input_shape=(21, 21, 1)))
net.add(Flatten())
net.add(Dense(1))
net.compile(optimizer="adam", loss="mse")
net.fit(grid, score, epochs=1)
