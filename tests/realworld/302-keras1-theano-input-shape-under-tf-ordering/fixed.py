# source: https://github.com/keras-team/keras/issues/3945 — Keras MaxPooling2D gives ValueError: Negative dimension size caused by subtracting 2 from 1 for 'MaxPool_x'
# written-for: keras 1.1 (tensorflow backend, image_dim_ordering "tf")
# runs-with: none
# expect: CNN007 @ 14
# expect: CNN007 @ 16
# expect: CNN007 @ 19
# expect-pinned: nothing

from keras.models import Sequential
from keras.layers import ZeroPadding2D, Convolution2D, MaxPooling2D, Flatten, Dense

net = Sequential()
net.add(ZeroPadding2D((1, 1), input_shape=(224, 224, 3)))
net.add(Convolution2D(64, 3, 3, activation="relu"))
net.add(ZeroPadding2D((1, 1)))
net.add(Convolution2D(64, 3, 3, activation="relu"))
net.add(MaxPooling2D((2, 2), strides=(2, 2)))
net.add(ZeroPadding2D((1, 1)))
net.add(Convolution2D(128, 3, 3, activation="relu"))
net.add(MaxPooling2D((2, 2), strides=(2, 2)))
net.add(Flatten())
net.add(Dense(1000, activation="softmax"))
