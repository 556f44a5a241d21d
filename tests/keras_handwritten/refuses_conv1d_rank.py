from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(300,))
x = layers.Conv1D(111, 5, padding="valid", strides=1)(inputs)  # keras refuses
model = keras.Model(inputs, x)
