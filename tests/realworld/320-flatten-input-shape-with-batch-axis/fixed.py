# source: https://github.com/aqibsaeed/On-device-activity-recognition/issues/3 — Tensorflow: ValueError
# written-for: tensorflow 2.1 (tf.keras)
# runs-with: keras3
# expect: nothing

from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Input, Conv1D, MaxPooling1D, Flatten, Dense
from tensorflow.keras.regularizers import l2

encoder = Sequential([
    Input(shape=(400, 3)),
    Conv1D(32, 24, activation="relu"),
    MaxPooling1D(4),
    Conv1D(64, 16, activation="relu", name="encoder_out"),
])

input_shape = encoder.get_layer("encoder_out").output.shape[1:]
head = Sequential([
    Flatten(input_shape=input_shape),
    Dense(units=64, activation="relu", kernel_regularizer=l2(1e-4)),
    Dense(units=6, activation="softmax", kernel_regularizer=l2(1e-4)),
])
head.compile(optimizer="adam", loss="categorical_crossentropy")
