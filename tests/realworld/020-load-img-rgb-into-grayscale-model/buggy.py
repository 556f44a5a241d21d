# source: https://github.com/keplr-io/quiver/issues/14 — number of channels only 3? (expected input_1 to have shape (1, 128, 128, 1) but got array with shape (1, 128, 128, 3))
# written-for: keras 1.1
# runs-with: tf-keras
# kind: images
# expect: CNN012 @ 18
# error: expected axis -1 of input shape to have value 1
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, GlobalAveragePooling2D, Dense
from keras.preprocessing import image

net = Sequential([Conv2D(4, (3, 3), input_shape=(128, 128, 1)), GlobalAveragePooling2D(), Dense(1)])

img = image.load_img("image.jpg", target_size=(128, 128))
arr = np.expand_dims(image.img_to_array(img), axis=0)
print(net.predict(arr))
