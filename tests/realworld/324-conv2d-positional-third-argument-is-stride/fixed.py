# source: https://whosebug.com/question/5683568/Keras-Why-the-output-size-of-a-Conv2D-layer-doesn-t-match-the-expected-shape-of-feature-map — Keras: Why the output size of a Conv2D layer doesn't match the expected shape of feature map?
# written-for: keras 2.4
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Dropout, Flatten, Dense

digits = np.random.rand(200, 28, 28, 1)
digit_labels = np.eye(10)[np.random.randint(0, 10, size=(200,))]

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.2))
model.add(Flatten())
model.add(Dense(256, activation="relu"))
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(digits, digit_labels, batch_size=200, epochs=1, verbose=0)
