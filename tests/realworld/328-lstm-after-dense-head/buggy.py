# source: https://github.com/keras-team/keras/issues/9314 — Adding an LSTM between dense layers.
# written-for: keras 2.1
# runs-with: keras3
# kind: other
# expect: CNN006 @ 19
# error: expected ndim=3, found ndim=2

from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dropout, Dense, Activation, LSTM

height, width, channels = 66, 200, 3

model = Sequential()
model.add(Conv2D(24, (5, 5), strides=(2, 2), input_shape=(height, width, channels)))
model.add(Flatten())
model.add(Dropout(0.5))
model.add(Dense(100))
model.add(Activation("relu"))
model.add(LSTM(10))
model.add(Dense(1))
model.add(Activation("linear"))
model.compile(loss="mse", optimizer="adam")
