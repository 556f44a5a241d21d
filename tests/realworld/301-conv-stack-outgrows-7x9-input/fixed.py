# source: https://newbetuts.com/70781692-how-to-make-a-cnn-model-correctly — How to make a CNN model correctly?
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# expect: nothing

import numpy as np
import tensorflow as tf

grids = np.random.rand(40, 7, 9, 1)
scores = np.random.rand(40, 1)

model = tf.keras.models.Sequential()
model.add(tf.keras.layers.Conv2D(4, kernel_size=(3, 3), padding="same", activation="relu", input_shape=(7, 9, 1)))
model.add(tf.keras.layers.Conv2D(4, kernel_size=(3, 3), padding="same", activation="relu"))
model.add(tf.keras.layers.Conv2D(4, kernel_size=(3, 3), padding="same", activation="relu"))
model.add(tf.keras.layers.Conv2D(2, kernel_size=(3, 3), padding="same", activation="relu"))
model.add(tf.keras.layers.Flatten())
model.add(tf.keras.layers.Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(grids, scores, epochs=1, verbose=0)
