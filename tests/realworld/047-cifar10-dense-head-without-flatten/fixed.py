# source: https://github.com/keras-team/keras-contrib/issues/304 — cifar10_densenet.py issue
# written-for: keras 2.2.2
# runs-with: keras3
# expect: nothing

import keras
from keras.datasets import cifar10
from keras.layers import Input, Conv2D, BatchNormalization, Activation, Dense, Flatten
from keras.models import Model

n_classes = 10
(x_train, y_train), (x_test, y_test) = cifar10.load_data()
y_train = keras.utils.to_categorical(y_train, n_classes)

inputs = Input(shape=(32, 32, 3))
x = Conv2D(8, (3, 3), padding="same")(inputs)
x = Activation("relu")(BatchNormalization()(x))
x = Flatten()(x)
x = Dense(n_classes, activation="softmax")(x)
densenet = Model(inputs, x)
densenet.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
densenet.fit(x_train, y_train, batch_size=64, epochs=1, verbose=2)
