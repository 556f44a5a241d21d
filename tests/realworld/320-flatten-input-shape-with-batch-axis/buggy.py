# source: https://github.com/aqibsaeed/On-device-activity-recognition/issues/3 — Tensorflow: ValueError
# written-for: tensorflow 2.1 (tf.keras)
# runs-with: keras3
# kind: other
# expect: CNN002 @ 23
# error: must be fully-defined
# raised-by: tf.keras 2.1 keras/layers/core.py Dense.build: `The last dimension of the inputs to `Dense` should be defined. Found `None`.` (`output.shape` keeps the batch axis, so Flatten is given input_shape (None, 83, 64) and flattens an unknown axis); Keras 3 raises when it creates the Dense kernel of shape (None, 64)

from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Input, Conv1D, MaxPooling1D, Flatten, Dense
from tensorflow.keras.regularizers import l2

encoder = Sequential([
    Input(shape=(400, 3)),
    Conv1D(32, 24, activation="relu"),
    MaxPooling1D(4),
    Conv1D(64, 16, activation="relu", name="encoder_out"),
])

input_shape = encoder.get_layer("encoder_out").output.shape
head = Sequential([
    Flatten(input_shape=input_shape),
    Dense(units=64, activation="relu", kernel_regularizer=l2(1e-4)),
    Dense(units=6, activation="softmax", kernel_regularizer=l2(1e-4)),
])
head.compile(optimizer="adam", loss="categorical_crossentropy")
