# source: https://github.com/zhixuhao/unet/issues/209 — merge6 = Concatenate(axis = 3)([drop4,up6])
# written-for: keras 2.3
# runs-with: keras3
# kind: other
# expect: CNN008 @ 29
# error: requires inputs with matching shapes except for the concat
# raised-by: keras/layers/merge.py Concatenate.build (keras 2.3): `A Concatenate layer requires inputs with matching shapes except for the concat axis. Got inputs shapes: [(None, 7, 7, 512), (None, 6, 6, 512)]` (the asker's sizes; with a 60x60 input the third pool leaves 2x2, the first up-sampling gives back 2x2 and the second 4x4 against the 6x6 skip)

from keras.models import Model
from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D, Dropout, Concatenate


def unet(input_size=(60, 60, 1)):
    inputs = Input(input_size)
    conv1 = Conv2D(8, 3, activation="relu", padding="same")(inputs)
    pool1 = MaxPooling2D(pool_size=(3, 3))(conv1)
    conv2 = Conv2D(16, 3, activation="relu", padding="same")(pool1)
    pool2 = MaxPooling2D(pool_size=(3, 3))(conv2)
    conv3 = Conv2D(32, 3, activation="relu", padding="same")(pool2)
    pool3 = MaxPooling2D(pool_size=(3, 3))(conv3)
    conv4 = Conv2D(64, 3, activation="relu", padding="same")(pool3)
    drop4 = Dropout(0.5)(conv4)
    pool4 = MaxPooling2D(pool_size=(2, 2))(drop4)
    conv5 = Conv2D(128, 3, activation="relu", padding="same")(pool4)
    up6 = Conv2D(64, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(conv5))
    merge6 = Concatenate(axis=3)([drop4, up6])
    conv6 = Conv2D(64, 3, activation="relu", padding="same")(merge6)
    up7 = Conv2D(32, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(conv6))
    merge7 = Concatenate(axis=3)([conv3, up7])
    conv7 = Conv2D(32, 3, activation="relu", padding="same")(merge7)
    up8 = Conv2D(16, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(conv7))
    merge8 = Concatenate(axis=3)([conv2, up8])
    conv8 = Conv2D(16, 3, activation="relu", padding="same")(merge8)
    up9 = Conv2D(8, 2, activation="relu", padding="same")(UpSampling2D(size=(2, 2))(conv8))
    merge9 = Concatenate(axis=3)([conv1, up9])
    conv9 = Conv2D(8, 3, activation="relu", padding="same")(merge9)
    outputs = Conv2D(1, 1, activation="sigmoid")(conv9)
    return Model(inputs=inputs, outputs=outputs)


model = unet()
model.compile(optimizer="adam", loss="binary_crossentropy")
