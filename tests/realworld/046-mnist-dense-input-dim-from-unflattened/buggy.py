# source: https://github.com/keras-team/keras/issues/13916 — ValueError: Error when checking input: expected dense_8_input to have 2 dimensions, but got array with shape (60000, 28, 28)
# written-for: tensorflow 2.1 (tf.keras)
# runs-with: keras3
# kind: datasets
# expect: CNN012 @ 24
# error: Expected shape (None, 28), but input has incompatible shape
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.datasets import mnist
from tensorflow.keras.utils import to_categorical

(X_train, Y_train), (X_test, Y_test) = mnist.load_data()
X_train = X_train / 255
num_classes = 10
Y_train_dummy = to_categorical(Y_train, num_classes)

model = Sequential()
model.add(Dense(512, activation="relu", input_dim=X_train.shape[1]))
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
model.fit(X_train, Y_train_dummy, epochs=1)
