# source: https://github.com/imfing/keras-flask-deploy-webapp/issues/23 — ValueError: Error when checking input: expected conv2d_1_input to have shape (28, 28, 3) but got array with shape (28, 28, 4)
# written-for: keras 2.3 / tensorflow 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from PIL import Image
from tensorflow import keras
from tensorflow.keras.preprocessing import image

net = keras.Sequential([
    keras.layers.Conv2D(8, 3, activation="relu", input_shape=(28, 28, 3)),
    keras.layers.Flatten(),
    keras.layers.Dense(2, activation="softmax"),
])

img = Image.open("logo.png")
img = img.convert("RGB")
img = img.resize((28, 28))
x = image.img_to_array(img)
x = np.expand_dims(x, axis=0)
(nt, weapon) = net.predict(x)[0]
