# source: https://github.com/ageron/handson-ml/issues/28 — MultiRNNCell error
# written-for: tensorflow 1.2
# runs-with: tf1
# expect: nothing
import os

# tf.compat.v1.nn.rnn_cell needs the Keras 2 cells on TensorFlow >= 2.16
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

n_steps = 20
n_inputs = 2
n_neurons = 100
n_layers = 3

X = tf.placeholder(tf.float32, [None, n_steps, n_inputs])
y = tf.placeholder(tf.float32, [None, n_steps, 1])

# one cell object per layer, as the book's updated notebook does
layers = [tf.nn.rnn_cell.BasicRNNCell(num_units=n_neurons) for _ in range(n_layers)]
deep = tf.nn.rnn_cell.MultiRNNCell(layers)
rnn_outputs, final = tf.nn.dynamic_rnn(deep, X, dtype=tf.float32)

flat = tf.reshape(rnn_outputs, [-1, n_neurons])
w = tf.Variable(tf.zeros([n_neurons, 1]))
pred = tf.reshape(tf.matmul(flat, w), [-1, n_steps, 1])
loss = tf.reduce_mean(tf.square(pred - y))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    series = np.random.rand(4, n_steps, n_inputs)
    sess.run(loss, feed_dict={X: series, y: series[:, :, :1]})
