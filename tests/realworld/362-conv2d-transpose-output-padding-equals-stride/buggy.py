# source: https://github.com/keras-team/keras/issues/13231 — Conv2DTranspose Strides VS out_pad
# written-for: keras 2.2.4 / tensorflow 1.13.1
# runs-with: keras3
# kind: other
# expect: CNN005 @ 17
# error: must be strictly less than `strides`
# raised-by: keras 2.2.4 keras/layers/convolutional.py Conv2DTranspose.__init__: `Stride (8, 8) must be greater than output padding (8, 1)`

import numpy as np
from keras.layers import Conv2DTranspose, Input
from keras.models import Model

features = np.random.rand(2, 46, 62, 8)

# Upsample a 46x62 map eightfold to 368x489 with one 16x16 transposed convolution.
coarse = Input(shape=(46, 62, 8))
fine = Conv2DTranspose(1, 16, strides=8, padding="same", output_padding=(8, 1))(coarse)
model = Model(coarse, fine)
print(model.predict(features, verbose=0).shape)
