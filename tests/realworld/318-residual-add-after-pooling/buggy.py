# source: https://github.com/keras-team/keras/issues/16925 — ValueError: Operands could not be broadcast together with shapes (56, 56, 32) (112, 112, 32)
# written-for: tensorflow 2.4 (tf.keras)
# runs-with: keras3
# kind: other
# expect: CNN008 @ 22
# error: Inputs have incompatible shapes
# raised-by: tf.keras 2.4 keras/layers/merge.py _compute_elemwise_op_output_shape: `Operands could not be broadcast together with shapes (56, 56, 32) (112, 112, 32)`; Keras 3 raises `Inputs have incompatible shapes`

from tensorflow.keras.layers import Input, Conv2D, LeakyReLU, BatchNormalization, MaxPool2D, Add, GlobalAveragePooling2D, Dense
from tensorflow.keras.models import Model

visible = Input(shape=(224, 224, 3))
x = Conv2D(32, (3, 3), padding="same", name="conv_1")(visible)
x = LeakyReLU()(x)
x = BatchNormalization()(x)
block_1 = MaxPool2D(pool_size=(2, 2), padding="same")(x)

x = Conv2D(32, (3, 3), padding="same", name="conv_2")(block_1)
x = LeakyReLU()(x)
x = BatchNormalization()(x)
x = MaxPool2D(pool_size=(2, 2), padding="same")(x)
block_2 = Add()([x, block_1])

x = GlobalAveragePooling2D()(block_2)
out = Dense(4, activation="softmax")(x)
model = Model(visible, out)
model.compile(optimizer="adam", loss="categorical_crossentropy")
