# source: https://github.com/Theano/Theano/issues/6765 — TypeError: ('Keyword argument not understood:', 'border_mode')
# written-for: keras 2.4 (tensorflow 2.3)
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential, Model
from keras.layers import Input, Conv2D, Concatenate, Activation, MaxPooling2D, Flatten, Dense

patches = np.random.rand(16, 50, 50, 1)
labels = np.eye(2)[np.random.randint(0, 2, size=(16,))]

inp = Input(shape=(50, 50, 1))
branches = []
for k in [3, 5, 7]:
    branches.append(Conv2D(16, k, padding="same", activation="relu", strides=1)(inp))
multi_scale = Model(inputs=inp, outputs=Concatenate()(branches))

model = Sequential()
model.add(multi_scale)
model.add(Conv2D(16, (3, 3)))
model.add(Activation("relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(2, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(patches, labels, epochs=1, verbose=0)
