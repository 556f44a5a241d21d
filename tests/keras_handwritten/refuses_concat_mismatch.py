from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(32, 32, 3))
a = layers.Conv2D(8, 3)(inputs)
b = layers.Conv2D(8, 3, padding="same")(inputs)
merged = layers.concatenate([a, b])  # keras refuses
model = keras.Model(inputs, merged)
