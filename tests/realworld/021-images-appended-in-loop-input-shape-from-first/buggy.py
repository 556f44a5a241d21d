# source: https://github.com/anujshah1003/own_data_cnn_implementation_keras/issues/9 — Conv2D Error - First Layer of CNN
# written-for: keras 2.2 (tensorflow backend)
# runs-with: keras3
# kind: python
# expect: CNN006 @ 28
# error: expected min_ndim=4, found ndim=3. Full shape received: (None, 128, 128)
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import os
import cv2
import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, Flatten, Dense

data_path = "data/train"
img_data_list = []
for dataset in sorted(os.listdir(data_path)):
    for name in os.listdir(os.path.join(data_path, dataset)):
        input_img = cv2.imread(os.path.join(data_path, dataset, name))
        input_img = cv2.cvtColor(input_img, cv2.COLOR_BGR2GRAY)
        img_data_list.append(cv2.resize(input_img, (128, 128)))
img_data = np.array(img_data_list).astype("float32") / 255

input_shape = img_data[0].shape
img_data = np.expand_dims(img_data, axis=3)

model = Sequential()
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=input_shape))
model.add(Flatten())
model.add(Dense(3, activation="softmax"))
