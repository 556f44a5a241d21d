from tensorflow.keras.layers import Conv2D, Dense, Flatten, Input, MaxPooling2D, concatenate
from tensorflow.keras.models import Model

inp = Input(shape=(28, 28, 1))
a = Conv2D(8, (1, 1), padding="same", activation="relu")(inp)
b = Conv2D(8, (1, 1), padding="same", activation="relu")(inp)
b = Conv2D(16, (3, 3), padding="same", activation="relu")(b)
c = MaxPooling2D((3, 3), strides=(1, 1), padding="same")(inp)
c = Conv2D(4, (1, 1), padding="same")(c)
mixed = concatenate([a, b, c], axis=-1)
x = MaxPooling2D()(mixed)
x = Flatten()(x)
out = Dense(10)(x)
model = Model(inputs=inp, outputs=out)
