# source: https://github.com/AmadeusITGroup/Moire-Pattern-Detection/issues/3 — Training Error (You are passing a target array of shape (25, 1) while using as loss `categorical_crossentropy`)
# written-for: keras 2.2.4
# runs-with: keras3
# expect: nothing

from keras.datasets import cifar10
from keras.models import Sequential
from keras.layers import Conv2D, GlobalAveragePooling2D, Dense
from keras.utils import to_categorical

(x_train, y_train), (x_test, y_test) = cifar10.load_data()
x_train = x_train.astype("float32") / 255.0
y_train = to_categorical(y_train, 10)

cnn = Sequential([
    Conv2D(16, (3, 3), activation="relu", input_shape=(32, 32, 3)),
    GlobalAveragePooling2D(),
    Dense(10, activation="softmax"),
])
cnn.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
cnn.fit(x_train, y_train, batch_size=32, epochs=1)
