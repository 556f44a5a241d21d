# source: https://github.com/iparaskev/simple-blink-detector/issues/1 — Reading files from a directory
# written-for: keras 2.1
# runs-with: keras3
# kind: python
# expect: CNN012 @ 25
# error: expected axis -1 of input shape to have value 1
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead
# was-missed: a list comprehension over an iterable of unknown length (`for p in paths`, paths from glob) gives an unknown value, while the same items appended in a for loop are modelled (see 021): each is cv2.resize(cv2.imread(p), (26, 34)) = (34, 26, 3), so np.array of the list is (n, 34, 26, 3)

import glob
import cv2
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense

paths = sorted(glob.glob("data/train/*/*.png"))
eyes = np.array([cv2.resize(cv2.imread(p), (26, 34)) for p in paths]) / 255.0
closed = np.random.randint(0, 2, size=(len(paths),))

model = Sequential()
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(34, 26, 1)))
model.add(Flatten())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(eyes, closed, epochs=1)
