# source: https://taourl.com/read-2671644.html — what's the standard way of keras.model.predict to predict a single sample
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# expect: nothing

import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

model = Sequential([Dense(10, activation="relu", input_shape=(5,)), Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
sample = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
sample = np.expand_dims(sample, axis=0)
print(model.predict(sample))
