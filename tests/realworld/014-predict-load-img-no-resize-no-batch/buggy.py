# source: https://github.com/keras-team/keras/issues/10955 — expected conv2d_3_input to have 4 dimensions, but got array with shape (600, 400, 3)
# written-for: keras 2.2
# runs-with: keras3
# kind: images
# expect: CNN012 @ 23
# error: Expected shape (None, 128, 128, 3), but input has incompatible shape
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense
from keras.preprocessing import image

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(128, 128, 3)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="rmsprop", metrics=["accuracy"])

photo = image.load_img("image.jpg")
photo = image.img_to_array(photo)
print(model.predict(photo))
