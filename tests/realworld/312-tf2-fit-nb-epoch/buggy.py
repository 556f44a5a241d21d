# source: https://github.com/keras-team/keras/issues/14135 — TypeError: fit() got an unexpected keyword argument 'nb_epoch'
# written-for: tensorflow 2.2 (tf.keras)
# runs-with: keras3
# kind: other
# expect: CNN007 @ 21
# error: unexpected keyword argument 'nb_epoch'

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

X_train = np.random.rand(32, 28, 28, 1)
Y_train = np.eye(10)[np.random.randint(0, 10, size=(32,))]

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X_train, Y_train, batch_size=32, nb_epoch=10, verbose=1)
