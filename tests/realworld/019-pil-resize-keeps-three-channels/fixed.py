# source: https://www.developerload.com/how-to-convert-image-into-array — How to convert image into array?
# written-for: keras 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from PIL import Image
from numpy import asarray
from keras.models import Sequential
from keras.layers import Flatten, Dense

reader = Sequential([Flatten(input_shape=(28, 28)), Dense(10, activation="softmax")])

img = Image.open("digit.png").convert("L")
resized_img = img.resize((28, 28))
x = asarray(resized_img)
print(reader.predict(x[np.newaxis]))
