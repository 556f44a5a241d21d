# source: https://github.com/experiencor/keras-yolo2/pull/434 — cv2 resize function gets (W, H) and not (H, W)
# written-for: keras 2.1
# runs-with: keras3
# kind: opencv
# expect: CNN012 @ 21
# error: expected shape=(None, 96, 160, 3), found shape=(1, 160, 96, 3)

import cv2
import numpy as np
from keras.models import Model
from keras.layers import Input, Conv2D

IMAGE_H, IMAGE_W = 96, 160
inp = Input(shape=(IMAGE_H, IMAGE_W, 3))
grid = Conv2D(5, (1, 1))(inp)
detector = Model(inp, grid)

frame = cv2.imread("image.jpg")
frame = cv2.resize(frame, (IMAGE_H, IMAGE_W))
batch = np.expand_dims(frame / 255.0, 0)
netout = detector.predict(batch)
