# source: https://github.com/keras-team/keras-applications/issues/156 — ValueError: The last dimension of the inputs to `Dense` should be defined. Found `None`.
# written-for: keras 2.3.1 / tensorflow 2.0
# runs-with: keras3
# kind: applications
# expect: CNN002 @ 20
# error: must be fully-defined
# raised-by: tf.keras 2.0 keras/layers/core.py Dense.build: `The last dimension of the inputs to `Dense` should be defined. Found `None`.` (no `input_shape`: the backbone takes (None, None, 3) images, so Flatten gives None features); Keras 3 raises when it creates the Dense kernel of shape (None, 256)

from tensorflow.keras.applications import EfficientNetB0
from tensorflow.keras.layers import Dense, Dropout, Flatten
from tensorflow.keras.models import Model

# The asker used the `efficientnet` package (`efn.EfficientNetB0`), whose model is built the same
# way as keras.applications'; stand-in weights: none (the fault does not depend on them).
n_classes = 17


def fc_head(base, classes, width):
    head = Flatten()(base.output)
    head = Dense(width, activation="relu")(head)
    head = Dropout(0.5)(head)
    return Dense(classes, activation="softmax")(head)


backbone = EfficientNetB0(weights=None, include_top=False)
head = fc_head(backbone, n_classes, 256)
model = Model(backbone.input, head)
model.compile(optimizer="adam", loss="categorical_crossentropy")
