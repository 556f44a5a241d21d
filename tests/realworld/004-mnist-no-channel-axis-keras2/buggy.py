# source: https://github.com/keras-team/keras/issues/11950 — Input_shape bug
# written-for: keras 2.2.4 / tensorflow 1.12
# runs-with: none
# kind: datasets
# expect: CNN012 @ 23
# raised-by: keras/engine/training_utils.py:124 (keras 2.2.4, standardize_input_data: `if data[i].ndim != len(shape): raise ValueError(`): `'Error when checking ' + exception_prefix + ': expected ' + names[i] + ' to have ' + str(len(shape)) + ' dimensions, but got array with shape ' + str(data_shape)` — Keras 3 and tf-keras 2.21 add the missing trailing axis of 1 and train
# missed-unstated: for an unstated Keras CNN012 applies Keras 3's leniency (a missing trailing axis of size 1 is added); read for its pinned Keras 2.2.4, which refuses (60000, 28, 28) for input_shape=(28, 28, 1)

from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense
from keras.utils import to_categorical

(x_train, y_train), (x_test, y_test) = mnist.load_data()
y_train = to_categorical(y_train, 10)

model = Sequential()
model.add(Conv2D(32, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=1)
