# source: https://github.com/tensorflow/tensorflow/issues/7005 — TypeError: inputs must be a sequence occure in Bidirectional RNN
# written-for: tensorflow 0.12
# runs-with: tf1
# kind: tf1
# expect: CNN006 @ 31
# error: must be a sequence
import os

# tf.compat.v1.nn.rnn_cell needs the Keras 2 cells on TensorFlow >= 2.16
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

longest = 40
frame_dim = 16
hidden = 24


def frame_counts(frames):
    # frames that hold any non-zero value, per sequence
    present = tf.sign(tf.reduce_max(tf.abs(frames), axis=2))
    return tf.cast(tf.reduce_sum(present, axis=1), tf.int32)


clips = tf.placeholder(tf.float32, [None, longest, frame_dim])
# the static bidirectional RNN takes a Python list of (batch, frame_dim) steps,
# not the (batch, time, frame_dim) tensor itself
outputs, state_fw, state_bw = tf.nn.static_bidirectional_rnn(
    tf.nn.rnn_cell.GRUCell(hidden), tf.nn.rnn_cell.GRUCell(hidden), clips,
    dtype=tf.float32, sequence_length=frame_counts(clips))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(outputs[-1], feed_dict={clips: np.random.rand(3, longest, frame_dim)})
