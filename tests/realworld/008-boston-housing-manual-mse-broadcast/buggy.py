# source: https://github.com/keras-team/keras/issues/14627 — Why the loss function (mse) calculated by keras not the same as mine
# written-for: keras 2.4 / tensorflow 2.4
# runs-with: keras3
# kind: datasets
# expect: CNN015 @ 21
# was-missed: CNN015 checks TensorFlow/Keras losses and accuracies, not NumPy: the hand-written metric `np.square(np.subtract(y_train, reg.predict(x_train))).mean()` broadcasts the (404,) labels against the (404, 1) predictions to (404, 404)

import numpy as np
from keras.datasets import boston_housing
from keras import models, layers

(train_data, train_targets), (test_data, test_targets) = boston_housing.load_data()
x_train = train_data.astype(np.float32)
y_train = train_targets.astype(np.float32)

reg = models.Sequential()
reg.add(layers.Dense(64, activation="relu", input_shape=(13,)))
reg.add(layers.Dense(1))
reg.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
reg.fit(x_train, y_train, epochs=1, batch_size=10)
print(np.square(np.subtract(y_train, reg.predict(x_train))).mean())
