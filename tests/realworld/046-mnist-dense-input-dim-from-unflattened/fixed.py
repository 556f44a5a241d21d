# source: https://github.com/keras-team/keras/issues/13916 — ValueError: Error when checking input: expected dense_8_input to have 2 dimensions, but got array with shape (60000, 28, 28)
# written-for: tensorflow 2.1 (tf.keras)
# runs-with: keras3
# expect: nothing
# note: the asker's `optimize="sgd"` typo (ignored by tf.keras 2.1, refused by Keras 3's compile) is written `optimizer=` in both programs

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.datasets import mnist
from tensorflow.keras.utils import to_categorical

(X_train, Y_train), (X_test, Y_test) = mnist.load_data()
X_train = X_train / 255
num_classes = 10
Y_train_dummy = to_categorical(Y_train, num_classes)
X_train = np.reshape(X_train, (X_train.shape[0], -1))

model = Sequential()
model.add(Dense(512, activation="relu", input_dim=X_train.shape[1]))
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
model.fit(X_train, Y_train_dummy, epochs=1)
