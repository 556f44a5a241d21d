# source: https://gamingcommission.club/stackoverflow.com/questions/60648191/tensorflow-keras-conv2d-error-with-2d-numpy-array-input — Tensorflow Keras Conv2D error with 2D numpy array input
# written-for: tensorflow 2.1 (tf.keras)
# runs-with: keras3
# kind: numpy
# expect: CNN012 @ 22
# expect: CNN013 @ 22
# error: Data cardinality is ambiguous
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, Flatten, Dense

grid = np.random.rand(21, 21)
score = np.array([0.5])

net = Sequential()
net.add(Conv2D(32, (3, 3), activation="relu", input_shape=(21, 21, 1)))
net.add(Flatten())
net.add(Dense(1))
net.compile(optimizer="adam", loss="mse")
net.fit(grid, score, epochs=1)
