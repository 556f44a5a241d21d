# source: https://taourl.com/read-2442620.html — Shapes (None, 1) and (None, 2) are incompatible
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 18
# error: Received: target.shape=(None, 2), output.shape=(None, 1)
# raised-by: tensorflow/python/framework/tensor_shape.py, assert_is_compatible_with (tf.keras 2.x): `Shapes (None, 1) and (None, 2) are incompatible`; here Keras 3's loss raises instead

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

X = np.random.rand(100, 10)
y = np.random.rand(100, 2)

model = Sequential([
    Dense(10, input_shape=(10,), activation="relu"),
    Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, y, epochs=1)
