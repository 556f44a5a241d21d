# source: https://www.developerload.com/how-to-convert-image-into-array — How to convert image into array?
# written-for: keras 2.x
# runs-with: keras3
# kind: pillow
# expect: CNN012 @ 20
# error: Expected shape (None, 28, 28), but input has incompatible shape (1, 28, 28, 3)
# missed: the colour mode of `Image.open` comes from the file (RGB here) and the program never converts it, so the rank of `asarray(img)` is not knowable statically (with `.convert("RGB")` cnnlint reports this CNN012); a permanent miss unless image files are read

import numpy as np
from PIL import Image
from numpy import asarray
from keras.models import Sequential
from keras.layers import Flatten, Dense

reader = Sequential([Flatten(input_shape=(28, 28)), Dense(10, activation="softmax")])

img = Image.open("digit.png")
resized_img = img.resize((28, 28))
x = asarray(resized_img)
print(reader.predict(x[np.newaxis]))
