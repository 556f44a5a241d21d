from tensorflow import keras
from tensorflow.keras import layers

encoder_input = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(encoder_input)
x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
x = layers.Flatten()(x)
latent = layers.Dense(10)(x)
x = layers.Dense(7 * 7 * 32)(latent)
x = layers.Reshape((7, 7, 32))(x)
x = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(x)
x = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(x)
decoded = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x)
autoencoder = keras.Model(encoder_input, decoded, name="autoencoder")
