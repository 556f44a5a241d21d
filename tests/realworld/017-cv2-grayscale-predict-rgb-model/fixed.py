# source: https://github.com/aladdinpersson/Machine-Learning-Collection/issues/47 — custom image testing
# written-for: tensorflow 2.4 (tf.keras)
# runs-with: keras3
# expect: nothing

import cv2
import numpy as np
from tensorflow import keras

w, h = 28, 28
probability_model = keras.Sequential([
    keras.layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 1)),
    keras.layers.Flatten(),
    keras.layers.Dense(10, activation="softmax"),
])

img = cv2.imread("digit.png")
img = cv2.resize(img, (w, h))
img = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
img = img.reshape(1, w, h, 1)
print("prediction:", np.argmax(probability_model.predict(img)))
