from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input((64, 64, 1))
c1 = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
p1 = layers.MaxPooling2D(2)(c1)
c2 = layers.Conv2D(32, 3, activation="relu", padding="same")(p1)
p2 = layers.MaxPooling2D(2)(c2)
b = layers.Conv2D(64, 3, activation="relu", padding="same")(p2)
u2 = layers.Conv2DTranspose(32, 2, strides=2, padding="same")(b)
u2 = layers.Concatenate()([u2, c2])
c3 = layers.Conv2D(32, 3, activation="relu", padding="same")(u2)
u1 = layers.UpSampling2D()(c3)
u1 = layers.Concatenate(axis=3)([u1, c1])
c4 = layers.Conv2D(16, 3, activation="relu", padding="same")(u1)
outputs = layers.Conv2D(1, 1, activation="sigmoid")(c4)
model = keras.Model(inputs=[inputs], outputs=[outputs])
