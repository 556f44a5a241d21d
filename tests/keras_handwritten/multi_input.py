import keras
from keras import layers

image = keras.Input(shape=(32, 32, 3), name="image")
meta = keras.Input(shape=(5,), name="meta")
x = layers.Conv2D(8, 3, activation="relu")(image)
x = layers.GlobalMaxPooling2D()(x)
y = layers.Dense(8, activation="relu")(meta)
z = layers.Concatenate()([x, y])
z = layers.Dropout(0.3)(z)
score = layers.Dense(1, name="score")(z)
label = layers.Dense(4, activation="softmax", name="label")(z)
model = keras.Model(inputs=[image, meta], outputs=[score, label])
