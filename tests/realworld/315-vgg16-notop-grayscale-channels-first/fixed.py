# source: https://github.com/keras-team/keras/issues/6849 — Error when checking VGG16 input shape with include_top=False
# written-for: keras 2.0.4
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.applications.vgg16 import VGG16
from keras.models import Model
from keras.layers import Flatten, Dense

x_train = np.random.rand(16, 1, 128, 128)
y_train = np.random.randint(0, 2, size=(16, 1))
x_train = np.repeat(x_train.transpose(0, 2, 3, 1), 3, axis=-1)

backbone = VGG16(include_top=False, weights=None, input_tensor=None, input_shape=(128, 128, 3), pooling=None)
features = Flatten()(backbone.output)
verdict = Dense(1, activation="sigmoid")(features)
classifier = Model(backbone.input, verdict)
classifier.compile(optimizer="adam", loss="binary_crossentropy")
classifier.fit(x_train, y_train, epochs=1, verbose=0)
