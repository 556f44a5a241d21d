# source: https://github.com/akirasosa/mobile-semantic-segmentation/issues/13 — Matching shapes
# written-for: keras 2.1
# runs-with: keras3
# expect: nothing

from keras.models import Model
from keras.layers import Input, Conv2D, Conv2DTranspose, concatenate

img_size = 224
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
