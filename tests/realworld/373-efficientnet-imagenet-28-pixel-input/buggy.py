# source: https://github.com/qubvel/efficientnet/issues/129 — I want to use `input_shape=(28, 28, 3)`
# written-for: keras 2.4 / tensorflow 2.3
# runs-with: keras3
# kind: applications
# expect: CNN005 @ 18
# error: Input size must be at least 32x32

import numpy as np
from keras.applications import EfficientNetB3
from keras.layers import Dense
from keras.models import Model

digits = np.random.rand(8, 28, 28, 3)

# The asker used the `efficientnet` package, whose EfficientNetB3 makes the same check (`min_size=32`)
# as keras.applications (keras/src/applications/efficientnet.py).

backbone = EfficientNetB3(weights="imagenet", input_shape=(28, 28, 3), include_top=False, pooling="avg")
scores = Dense(10, activation="softmax")(backbone.output)
model = Model(backbone.input, scores)
model.predict(digits, verbose=0)
