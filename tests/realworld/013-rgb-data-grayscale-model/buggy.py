# source: https://github.com/keras-team/keras/issues/16711 — ValueError: Error when checking input: expected layer_1_input to have shape (128, 128, 1) but got array with shape (128, 128, 3)
# written-for: keras 2.x
# runs-with: keras3
# kind: numpy
# expect: CNN012 @ 22
# error: expected axis -1 of input shape to have value 1
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

photos = np.random.rand(4, 128, 128, 3)
masks = np.random.rand(4, 128, 128, 1)

inp = keras.Input(shape=(128, 128, 1))
h = layers.ZeroPadding2D()(inp)
h = layers.Conv2D(16, 3, activation="relu")(h)
out = layers.Conv2D(1, 1, activation="sigmoid")(h)
seg = keras.Model(inp, out)
seg.compile(optimizer="adam", loss="binary_crossentropy")
seg.fit(photos, masks, epochs=1, batch_size=2)
