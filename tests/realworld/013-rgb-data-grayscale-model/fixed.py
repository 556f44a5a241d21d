# source: https://github.com/keras-team/keras/issues/16711 — ValueError: Error when checking input: expected layer_1_input to have shape (128, 128, 1) but got array with shape (128, 128, 3)
# written-for: keras 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

photos = np.random.rand(4, 128, 128, 3)
masks = np.random.rand(4, 128, 128, 1)
photos = np.mean(photos, axis=-1, keepdims=True)

inp = keras.Input(shape=(128, 128, 1))
h = layers.ZeroPadding2D()(inp)
h = layers.Conv2D(16, 3, activation="relu")(h)
out = layers.Conv2D(1, 1, activation="sigmoid")(h)
seg = keras.Model(inp, out)
seg.compile(optimizer="adam", loss="binary_crossentropy")
seg.fit(photos, masks, epochs=1, batch_size=2)
