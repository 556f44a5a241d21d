from tensorflow import keras
from tensorflow.keras import layers

left = keras.Input(shape=(28, 28, 1))
right = keras.Input(shape=(28, 28, 1))
encoder = keras.Sequential([
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(16),
], name="encoder")
diff = layers.Subtract()([encoder(left), encoder(right)])
out = layers.Dense(1, activation="sigmoid")(layers.Lambda(lambda t: abs(t))(diff))
model = keras.Model([left, right], out)
