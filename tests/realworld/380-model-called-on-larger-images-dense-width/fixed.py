# source: https://github.com/tensorflow/tensorflow/issues/45362 — ValueError: Input 0 of layer dense_2 is incompatible with the layer: expected axis -1 of input shape to have value 50176 but received input with shape [None, 57600]
# written-for: tensorflow 2.3
# runs-with: keras3
# expect: nothing

import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

# The classifier, trained on 224x224 images (the asker loads it from an .h5 file).
model = keras.Sequential([
    layers.Input(shape=(224, 224, 3)),
    layers.Rescaling(1.0 / 255),
    layers.Conv2D(16, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(4, activation="softmax"),
])

# The image is loaded at the size the model was trained on.
image_array = np.zeros((224, 224, 3), dtype="float32")
image_array = np.expand_dims(image_array, 0)
prediction = model.predict(image_array)
