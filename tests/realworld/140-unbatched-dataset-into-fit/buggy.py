# source: https://github.com/tensorflow/tensorflow/issues/50099 — Tensoflow tf.data.Dataset.from_tensor_slices couldn't generate a simple dataset to fit a linear model
# written-for: tensorflow-cpu 2.5
# runs-with: tf-keras
# expect: CNN012 @ 30
# error: expected min_ndim=2, found ndim=1
# was-missed: fit is given an unbatched tf.data dataset (from_tensor_slices without .batch), whose elements are single (2,) feature vectors; unbatched datasets are not checked (docs/data.md), so their rank-1 features against Dense(input_shape=(2,)) are not compared
# kind: tf-data
import numpy as np
import tensorflow as tf


def simulation_linear_function(x, a, b):  # y = ax + b
    return tf.matmul(a, x) + b


a = np.array([0.1, 0.2, 0.3, 0.4]).reshape((2, 2))
b = np.array([0.5, 0.6]).reshape((2, 1))

num_data = 300
inputs = np.random.random((num_data, 2))
labels = np.zeros((num_data, 2))
for n in range(num_data):
    y = simulation_linear_function(np.reshape(inputs[n], (2, 1)), a, b)
    labels[n] = np.reshape(y, (2,))
dataset = tf.data.Dataset.from_tensor_slices((inputs, labels))

linear_layer = tf.keras.layers.Dense(units=2, input_shape=(2,))
linear_model = tf.keras.Sequential([linear_layer])
linear_model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.Adam(1))
history = linear_model.fit(dataset, epochs=1, verbose=0)
