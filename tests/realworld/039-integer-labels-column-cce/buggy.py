# source: https://github.com/DeepLearningSandbox/DeepLearningSandbox/issues/3 — ValueError: You are passing a target array of shape (32, 1) while using as loss `categorical_crossentropy`
# written-for: keras 2.0.8
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 21
# error: Received: target.shape=(32, 1), output.shape=(32, 5)
# raised-by: keras/engine/training.py, _standardize_user_data (keras 2.0.8): `You are passing a target array of shape (32, 1) while using as loss `categorical_crossentropy``

import numpy as np
from keras.models import Sequential
from keras.layers import Dense, GlobalAveragePooling2D, Conv2D

images = np.random.rand(32, 64, 64, 3)
kinds = np.random.randint(0, 5, size=(32, 1))

model = Sequential()
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(64, 64, 3)))
model.add(GlobalAveragePooling2D())
model.add(Dense(5, activation="softmax"))
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(images, kinds, epochs=1)
