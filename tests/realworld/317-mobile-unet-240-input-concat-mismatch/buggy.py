# source: https://github.com/akirasosa/mobile-semantic-segmentation/issues/13 — Matching shapes
# written-for: keras 2.1
# runs-with: keras3
# kind: other
# expect: CNN008 @ 21
# error: requires inputs with matching shapes except for the concat
# raised-by: keras/layers/merge.py Concatenate.build (keras 2.1): `Concatenate layer requires inputs with matching shapes except for the concat axis. Got inputs shapes: [(None, 16, 16, 512), (None, 15, 15, 512)]`

from keras.models import Model
from keras.layers import Input, Conv2D, Conv2DTranspose, concatenate

img_size = 240
filters = 32

inputs = Input(shape=(img_size, img_size, 3))
b1 = Conv2D(filters, (3, 3), strides=(2, 2), padding="same", activation="relu")(inputs)
b3 = Conv2D(filters, (3, 3), strides=(2, 2), padding="same", activation="relu")(b1)
b5 = Conv2D(filters, (3, 3), strides=(2, 2), padding="same", activation="relu")(b3)
b11 = Conv2D(filters, (3, 3), strides=(2, 2), padding="same", activation="relu")(b5)
b13 = Conv2D(filters, (3, 3), strides=(2, 2), padding="same", activation="relu")(b11)
up1 = concatenate([
    Conv2DTranspose(filters, (2, 2), strides=(2, 2), padding="same")(b13),
    b11,
], axis=3)
mask = Conv2D(1, (1, 1), activation="sigmoid")(up1)
model = Model(inputs, mask)
model.compile(optimizer="adam", loss="binary_crossentropy")
