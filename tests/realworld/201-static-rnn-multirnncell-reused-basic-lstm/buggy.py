# source: https://github.com/tensorflow/tensorflow/issues/14897 — A bug in tensorflow r1.4 when applying MultiRNNCell
# written-for: tensorflow 1.4
# runs-with: tf1
# kind: tf1
# expect: CNN002 @ 25
# error: Dimensions must be equal, but are 64 and 40
import os

# tf.compat.v1.nn.rnn_cell needs the Keras 2 cells on TensorFlow >= 2.16
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

steps = 6
sensors = 8
n_hidden = 32

# a list of one (batch, sensors) tensor per time step
readings = [tf.placeholder(tf.float32, [None, sensors]) for _ in range(steps)]

cell = tf.nn.rnn_cell.BasicLSTMCell(n_hidden)
stacked = tf.nn.rnn_cell.MultiRNNCell([cell] * 2)
outputs, states = tf.nn.static_rnn(stacked, readings, dtype=tf.float32)
score = tf.reduce_sum(outputs[-1], axis=1)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {r: np.random.rand(3, sensors) for r in readings}
    sess.run(score, feed_dict=feed)
