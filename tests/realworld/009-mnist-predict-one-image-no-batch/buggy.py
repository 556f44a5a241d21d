# source: https://github.com/keras-team/keras/issues/10053 — Getting ValueError: Error when checking input: expected conv2d_1_input to have 4 dimensions, but got array with shape (315, 720, 1280)
# written-for: keras 2.1
# runs-with: keras3
# kind: datasets
# expect: CNN012 @ 23
# error: Expected shape (None, 28, 28, 1), but input has incompatible shape (28, 28)
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from tensorflow import keras

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 28, 28, 1) / 255.0

clf = keras.Sequential([
    keras.layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
    keras.layers.Flatten(),
    keras.layers.Dense(10, activation="softmax"),
])
clf.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
clf.fit(x_train, y_train, epochs=1)
digit = x_test[0] / 255.0
print(np.argmax(clf.predict(digit)))
