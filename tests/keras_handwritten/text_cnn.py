from tensorflow import keras
from tensorflow.keras import layers

tokens = keras.Input(shape=(100,), dtype="int32")
x = layers.Embedding(5000, 64)(tokens)
branches = []
for width in (3, 4, 5):
    b = layers.Conv1D(32, width, activation="relu")(x)
    b = layers.GlobalMaxPooling1D()(b)
    branches.append(b)
x = layers.concatenate(branches)
x = layers.Dense(2)(x)
model = keras.Model(tokens, x)
