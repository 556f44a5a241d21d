from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(100,))
x = layers.Dense(7 * 7 * 32)(inputs)
x = layers.Reshape((7, 7, 64))(x)  # keras refuses
model = keras.Model(inputs, x)
