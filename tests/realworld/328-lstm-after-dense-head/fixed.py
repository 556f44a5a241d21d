# source: https://github.com/keras-team/keras/issues/9314 — Adding an LSTM between dense layers.
# written-for: keras 2.1
# runs-with: keras3
# expect: nothing

from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dropout, Dense, Activation, LSTM, TimeDistributed

frames, height, width, channels = 4, 66, 200, 3

model = Sequential()
model.add(TimeDistributed(Conv2D(24, (5, 5), strides=(2, 2)), input_shape=(frames, height, width, channels)))
model.add(TimeDistributed(Flatten()))
model.add(Dropout(0.5))
model.add(TimeDistributed(Dense(100)))
model.add(Activation("relu"))
model.add(LSTM(10))
model.add(Dense(1))
model.add(Activation("linear"))
model.compile(loss="mse", optimizer="adam")
