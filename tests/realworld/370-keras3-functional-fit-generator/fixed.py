# source: https://github.com/keras-team/keras/issues/19225 — 'Functional' object has no attribute 'fit_generator'
# written-for: keras 3.0 (tensorflow 2.16)
# runs-with: keras3
# expect: nothing

import numpy as np
from keras import Input, Model
from keras.layers import Dense


def batches(batch_size=8):
    while True:
        features = np.random.rand(batch_size, 20)
        targets = np.random.randint(0, 2, size=(batch_size, 1))
        yield features, targets


inputs = Input(shape=(20,))
hidden = Dense(16, activation="relu")(inputs)
outputs = Dense(1, activation="sigmoid")(hidden)
model = Model(inputs, outputs)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
