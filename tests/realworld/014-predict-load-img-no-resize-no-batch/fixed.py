# source: https://github.com/keras-team/keras/issues/10955 — expected conv2d_3_input to have 4 dimensions, but got array with shape (600, 400, 3)
# written-for: keras 2.2
# runs-with: keras3
# expect: nothing

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

photo = image.load_img("image.jpg", target_size=(128, 128))
photo = image.img_to_array(photo)
photo = np.expand_dims(photo, axis=0)
print(model.predict(photo))
