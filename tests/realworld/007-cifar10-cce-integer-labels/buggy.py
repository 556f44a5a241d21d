# source: https://github.com/AmadeusITGroup/Moire-Pattern-Detection/issues/3 — Training Error (You are passing a target array of shape (25, 1) while using as loss `categorical_crossentropy`)
# written-for: keras 2.2.4
# runs-with: keras3
# kind: datasets
# expect: CNN013 @ 22
# error: Arguments `target` and `output` must have the same shape
# raised-by: keras/engine/training.py, _standardize_user_data (keras 2.2.4): `You are passing a target array of shape ... while using as loss `categorical_crossentropy``; here the loss raises instead

from keras.datasets import cifar10
from keras.models import Sequential
from keras.layers import Conv2D, GlobalAveragePooling2D, Dense

(x_train, y_train), (x_test, y_test) = cifar10.load_data()
x_train = x_train.astype("float32") / 255.0

cnn = Sequential([
    Conv2D(16, (3, 3), activation="relu", input_shape=(32, 32, 3)),
    GlobalAveragePooling2D(),
    Dense(10, activation="softmax"),
])
cnn.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
cnn.fit(x_train, y_train, batch_size=32, epochs=1)
