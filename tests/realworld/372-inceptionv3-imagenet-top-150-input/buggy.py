# source: https://stackguides.com/questions/54522336/how-do-custom-input-shape-for-inception-v3-in-keras-work — How do custom input_shape for Inception V3 in Keras work?
# written-for: keras 2.2.4
# runs-with: keras3
# kind: applications
# expect: CNN011 @ 15
# error: `input_shape` should be (299, 299, 3)

import numpy as np
from keras.applications.inception_v3 import InceptionV3
from keras.layers import Dense
from keras.models import Model

images = np.random.rand(8, 150, 150, 3)

network = InceptionV3(weights="imagenet", include_top=True, input_shape=(150, 150, 3))
scores = Dense(5, activation="softmax")(network.output)
classifier = Model(network.input, scores)
classifier.compile(optimizer="adam", loss="categorical_crossentropy")
classifier.predict(images, verbose=0)
