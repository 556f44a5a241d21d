# source: https://github.com/wuyang0329/unet/issues/7 — 关于maxpooling (about maxpooling)
# written-for: keras 2.2 (tensorflow backend)
# runs-with: keras3
# kind: other
# expect: CNN005 @ 17
# error: Computed output size would be zero or negative
# raised-by: keras 2.2 on TensorFlow 1.x: the MaxPool shape function, `Negative dimension size caused by subtracting 2 from 1 for 'max_pooling2d_11/MaxPool' (op: 'MaxPool') with input shapes: [?,1,512,64]`; Keras 3 raises in keras/src/ops/operation_utils.py compute_pooling_output_shape

from keras.models import Model
from keras.layers import Input, Conv2D, MaxPooling2D, UpSampling2D, concatenate


def small_unet(size=(1, 512, 512)):
    inputs = Input(size)
    conv1 = Conv2D(16, 3, activation="relu", padding="same")(inputs)
    conv1 = Conv2D(16, 3, activation="relu", padding="same")(conv1)
    pool1 = MaxPooling2D(pool_size=(2, 2))(conv1)
    conv2 = Conv2D(32, 3, activation="relu", padding="same")(pool1)
    up1 = UpSampling2D(size=(2, 2))(conv2)
    merged = concatenate([conv1, up1], axis=3)
    conv3 = Conv2D(16, 3, activation="relu", padding="same")(merged)
    outputs = Conv2D(1, 1, activation="sigmoid")(conv3)
    return Model(inputs=inputs, outputs=outputs)


segmenter = small_unet()
segmenter.compile(optimizer="adam", loss="binary_crossentropy")
