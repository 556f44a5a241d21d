# source: https://github.com/iparaskev/simple-blink-detector/issues/1 — Reading files from a directory
# written-for: keras 2.1
# runs-with: keras3
# expect: nothing

import glob
import cv2
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense

dims = 3
paths = sorted(glob.glob("data/train/*/*.png"))
eyes = np.array([cv2.resize(cv2.imread(p), (26, 34)) for p in paths]) / 255.0
closed = np.random.randint(0, 2, size=(len(paths),))

model = Sequential()
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(34, 26, dims)))
model.add(Flatten())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(eyes, closed, epochs=1)
