# source: https://github.com/keras-team/keras/issues/11409 — ValueError: Layer weight shape (3, 3, 256, 256) not compatible with provided weight shape (3, 3, 128, 256)
# written-for: keras 2.2.4
# runs-with: keras3
# kind: other
# expect: CNN011 @ 20
# error: is not compatible with provided weight shape
# raised-by: keras/engine/base_layer.py Layer.set_weights (keras 2.2.4): `Layer weight shape (3, 3, 256, 256) not compatible with provided weight shape (3, 3, 128, 256)`

from keras.models import Sequential
from keras.layers import Input, Conv2D

features = Sequential([
    Input(shape=(32, 32, 3)),
    Conv2D(64, (3, 3), padding="same", activation="relu"),
    Conv2D(128, (3, 3), padding="same", activation="relu"),
    Conv2D(256, (3, 3), padding="same", activation="relu"),
    Conv2D(256, (3, 3), padding="same", activation="relu"),
    Conv2D(256, (3, 3), padding="same", activation="relu"),
])
features.layers[3].set_weights(features.layers[2].get_weights())
