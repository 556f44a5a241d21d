# source: https://e-com-net.com/article/1188291707914002432.htm — Keras错误:ValueError: expected dense_2 to have shape (10,) but got array with shape (1,)
# written-for: keras 2.x
# runs-with: keras3
# kind: datasets
# expect: CNN013 @ 24
# error: Arguments `target` and `output` must have the same rank
# raised-by: keras/engine/training_utils.py, standardize_input_data / check_loss_and_target_compatibility (keras 2.x): `Error when checking target: expected ... to have shape ...`; here the loss raises instead

import keras
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

num_classes = 10
(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(x_train.shape[0], 28, 28, 1).astype("float32") / 255

model = Sequential()
model.add(Conv2D(8, kernel_size=(3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(num_classes, activation="softmax"))
model.compile(loss=keras.losses.categorical_crossentropy, optimizer=keras.optimizers.Adadelta(), metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=1)
