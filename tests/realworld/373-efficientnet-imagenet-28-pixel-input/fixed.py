# source: https://github.com/qubvel/efficientnet/issues/129 — I want to use `input_shape=(28, 28, 3)`
# written-for: keras 2.4 / tensorflow 2.3
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.applications import EfficientNetB3
from keras.layers import Dense
from keras.models import Model

digits = np.random.rand(8, 28, 28, 3)
digits = np.pad(digits, ((0, 0), (2, 2), (2, 2), (0, 0)))

# The answer: at least 32x32 (five stride-2 stages); weights=None stands in for the ImageNet download.
backbone = EfficientNetB3(weights=None, input_shape=(32, 32, 3), include_top=False, pooling="avg")
scores = Dense(10, activation="softmax")(backbone.output)
model = Model(backbone.input, scores)
model.predict(digits, verbose=0)
