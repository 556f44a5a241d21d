# source: https://github.com/keras-team/keras/issues/6849 — Error when checking VGG16 input shape with include_top=False
# written-for: keras 2.0.4
# runs-with: keras3
# kind: applications
# expect: CNN005 @ 17
# error: Input size must be at least 32x32
# raised-by: keras/applications/imagenet_utils.py _obtain_input_shape (keras 2.0.4): `The input must have 3 channels; got input_shape=(1, 128, 128)`; Keras 3 (keras/src/applications/imagenet_utils.py obtain_input_shape) reads (1, 128, 128) as 1 row of 128 columns with 128 channels and refuses it as smaller than 32x32

import numpy as np
from keras.applications.vgg16 import VGG16
from keras.models import Model
from keras.layers import Flatten, Dense

x_train = np.random.rand(16, 1, 128, 128)
y_train = np.random.randint(0, 2, size=(16, 1))

backbone = VGG16(include_top=False, weights=None, input_tensor=None, input_shape=(1, 128, 128), pooling=None)
features = Flatten()(backbone.output)
verdict = Dense(1, activation="sigmoid")(features)
classifier = Model(backbone.input, verdict)
classifier.compile(optimizer="adam", loss="binary_crossentropy")
classifier.fit(x_train, y_train, epochs=1, verbose=0)
