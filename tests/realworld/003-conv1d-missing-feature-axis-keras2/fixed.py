# source: http://fatal001.com/tensorflow/50872958595547719616.html — Keras/Tensorflow Conv1D预期输入形状 (Conv1D expected input shape)
# written-for: keras 2.x
# runs-with: none
# expect: nothing

import numpy as np
from keras import models, layers

signals = np.random.rand(4000, 29)
flags = np.random.randint(0, 2, size=(4000,))
signals = signals.reshape(4000, 29, 1)

net = models.Sequential()
net.add(layers.Conv1D(32, 3, activation="relu", input_shape=(29, 1)))
net.add(layers.Flatten())
net.add(layers.Dense(1, activation="sigmoid"))
net.compile(optimizer="adam", loss="binary_crossentropy")
net.fit(signals, flags, epochs=1)
