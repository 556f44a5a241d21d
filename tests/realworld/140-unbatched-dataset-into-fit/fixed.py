# source: https://github.com/tensorflow/tensorflow/issues/50099 — Tensoflow tf.data.Dataset.from_tensor_slices couldn't generate a simple dataset to fit a linear model
# written-for: tensorflow-cpu 2.5
# runs-with: tf-keras
# expect: nothing
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
dataset = tf.data.Dataset.from_tensor_slices((inputs, labels)).batch(32)

linear_layer = tf.keras.layers.Dense(units=2, input_shape=(2,))
linear_model = tf.keras.Sequential([linear_layer])
linear_model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.Adam(1))
history = linear_model.fit(dataset, epochs=1, verbose=0)
