# source: https://github.com/keras-team/keras/issues/13231 — Conv2DTranspose Strides VS out_pad
# written-for: keras 2.2.4 / tensorflow 1.13.1
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.layers import Conv2DTranspose, Cropping2D, Input
from keras.models import Model

features = np.random.rand(2, 46, 62, 8)

# output_padding must stay below the stride: without it the output is 46*8 x 62*8 = 368x496;
# crop the width to 489.
coarse = Input(shape=(46, 62, 8))
fine = Conv2DTranspose(1, 16, strides=8, padding="same")(coarse)
fine = Cropping2D(((0, 0), (3, 4)))(fine)
model = Model(coarse, fine)
print(model.predict(features, verbose=0).shape)
