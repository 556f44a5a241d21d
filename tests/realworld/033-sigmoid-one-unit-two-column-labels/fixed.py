# source: https://taourl.com/read-2442620.html — Shapes (None, 1) and (None, 2) are incompatible
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# expect: nothing

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

X = np.random.rand(100, 10)
y = np.random.rand(100, 2)

model = Sequential([
    Dense(10, input_shape=(10,), activation="relu"),
    Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X, y, epochs=1)
