# source: https://github.com/igormq/ctc_tensorflow_example/issues/15 — Multilayer problem
# written-for: tensorflow 1.2
# runs-with: tf1
# expect: nothing
import os

# tf.compat.v1.nn.rnn_cell needs the Keras 2 cells on TensorFlow >= 2.16
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

mfcc_features = 13
hidden_units = 50
depth = 2
classes = 28

frames = tf.placeholder(tf.float32, [None, None, mfcc_features])
frame_counts = tf.placeholder(tf.int32, [None])

# a new LSTM object per layer: each builds its own kernel for the input it gets
layers = [tf.nn.rnn_cell.LSTMCell(hidden_units, state_is_tuple=True) for _ in range(depth)]
stack = tf.nn.rnn_cell.MultiRNNCell(layers, state_is_tuple=True)
encoded, _ = tf.nn.dynamic_rnn(stack, frames, frame_counts, dtype=tf.float32)

flat = tf.reshape(encoded, [-1, hidden_units])
w = tf.Variable(tf.truncated_normal([hidden_units, classes], stddev=0.1))
logits = tf.matmul(flat, w)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch = np.random.rand(2, 7, mfcc_features).astype(np.float32)
    sess.run(logits, feed_dict={frames: batch, frame_counts: [7, 5]})
