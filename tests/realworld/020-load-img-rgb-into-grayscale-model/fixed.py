# source: https://github.com/keplr-io/quiver/issues/14 — number of channels only 3? (expected input_1 to have shape (1, 128, 128, 1) but got array with shape (1, 128, 128, 3))
# written-for: keras 1.1
# runs-with: tf-keras
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, GlobalAveragePooling2D, Dense
from keras.preprocessing import image

net = Sequential([Conv2D(4, (3, 3), input_shape=(128, 128, 1)), GlobalAveragePooling2D(), Dense(1)])

img = image.load_img("image.jpg", target_size=(128, 128), grayscale=True)
arr = np.expand_dims(image.img_to_array(img), axis=0)
print(net.predict(arr))
