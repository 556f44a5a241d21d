# source: https://github.com/keras-team/keras-applications/issues/156 — ValueError: The last dimension of the inputs to `Dense` should be defined. Found `None`.
# written-for: keras 2.3.1 / tensorflow 2.0
# runs-with: keras3
# expect: nothing

from tensorflow.keras.applications import EfficientNetB0
from tensorflow.keras.layers import Dense, Dropout, Flatten
from tensorflow.keras.models import Model

n_classes = 17


def fc_head(base, classes, width):
    head = Flatten()(base.output)
    head = Dense(width, activation="relu")(head)
    head = Dropout(0.5)(head)
    return Dense(classes, activation="softmax")(head)


# A fixed image size gives the backbone's map, and so the flattened features, a size.
backbone = EfficientNetB0(weights=None, include_top=False, input_shape=(224, 224, 3))
head = fc_head(backbone, n_classes, 256)
model = Model(backbone.input, head)
model.compile(optimizer="adam", loss="categorical_crossentropy")
