# source: http://fatal001.com/tensorflow/50872958595547719616.html — Keras/Tensorflow Conv1D预期输入形状 (Conv1D expected input shape)
# written-for: keras 2.x
# runs-with: none
# kind: numpy
# expect: CNN012 @ 20
# raised-by: keras/engine/training_utils.py:124 (keras 2.2.4, standardize_input_data: `if data[i].ndim != len(shape): raise ValueError(`): `'Error when checking ' + exception_prefix + ': expected ' + names[i] + ' to have ' + str(len(shape)) + ' dimensions, but got array with shape ' + str(data_shape)` — Keras 3 and tf-keras 2.21 add the missing trailing axis of 1 and train
# missed: CNN012 applies Keras 3's leniency (a missing trailing axis of size 1 is added) whatever Keras the code targets; Keras 2.x refuses (4000, 29) for input_shape=(29, 1)

import numpy as np
from keras import models, layers

signals = np.random.rand(4000, 29)
flags = np.random.randint(0, 2, size=(4000,))

net = models.Sequential()
net.add(layers.Conv1D(32, 3, activation="relu", input_shape=(29, 1)))
net.add(layers.Flatten())
net.add(layers.Dense(1, activation="sigmoid"))
net.compile(optimizer="adam", loss="binary_crossentropy")
net.fit(signals, flags, epochs=1)
