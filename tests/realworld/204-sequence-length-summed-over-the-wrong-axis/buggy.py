# source: https://github.com/tensorflow/tensorflow/issues/22969 — ValueError: sequence_length must be a vector of length batch_size, but saw shape: (24, 1, 2)
# written-for: tensorflow 1.11
# runs-with: tf1
# kind: tf1
# expect: CNN006 @ 32
# error: must be a vector of length batch_size
import os

# tf.compat.v1.nn.rnn_cell needs the Keras 2 cells on TensorFlow >= 2.16
os.environ["TF_USE_LEGACY_KERAS"] = "1"

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

batch = 24
words = 12
vector_size = 50
units = 64

# stand-in for the word vectors loaded with np.load
word_vectors = np.random.rand(1000, vector_size).astype(np.float32)
word_ids = tf.placeholder(tf.int32, [batch, words])
embedded = tf.nn.embedding_lookup(word_vectors, word_ids)

cell = tf.nn.rnn_cell.BasicLSTMCell(units)
cell = tf.nn.rnn_cell.DropoutWrapper(cell=cell, output_keep_prob=0.75)
# the lengths are counted over the embedded vectors: (24, 50), not one length per sentence
mask = tf.cast(tf.cast(embedded, tf.bool), tf.float32)
lengths = tf.reduce_sum(mask, axis=1)
outputs, _ = tf.nn.dynamic_rnn(cell, embedded, sequence_length=lengths, dtype=tf.float32)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(outputs, feed_dict={word_ids: np.random.randint(1, 1000, (batch, words))})
