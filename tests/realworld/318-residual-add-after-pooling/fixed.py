# source: https://github.com/keras-team/keras/issues/16925 — ValueError: Operands could not be broadcast together with shapes (56, 56, 32) (112, 112, 32)
# written-for: tensorflow 2.4 (tf.keras)
# runs-with: keras3
# expect: nothing

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
x = Add()([x, block_1])
block_2 = MaxPool2D(pool_size=(2, 2), padding="same")(x)

x = GlobalAveragePooling2D()(block_2)
out = Dense(4, activation="softmax")(x)
model = Model(visible, out)
model.compile(optimizer="adam", loss="categorical_crossentropy")
