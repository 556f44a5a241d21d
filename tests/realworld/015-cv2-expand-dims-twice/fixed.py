# source: https://github.com/keras-team/keras/issues/12596 — Error when checking input: expected conv2d_21_input to have 4 dimensions, but got array with shape (1, 1, 224, 224, 3)
# written-for: keras 2.2.4
# runs-with: keras3
# expect: nothing

import cv2
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, GlobalAveragePooling2D, Dense
from keras.preprocessing import image

model = Sequential([Conv2D(8, (3, 3), input_shape=(224, 224, 3)), GlobalAveragePooling2D(), Dense(2, activation="softmax")])

r = cv2.imread("image.jpg", 1)
r = cv2.resize(r, (224, 224))
r = r.astype("float") / 255.0
r = image.img_to_array(r)
r = np.expand_dims(r, axis=0)
(not_santa, santa) = model.predict(r)[0]
