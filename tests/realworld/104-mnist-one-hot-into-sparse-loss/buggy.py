# source: https://github.com/ageron/handson-ml/issues/171 — Chapeter10: Using plain TensorFlow, how the tensorflow know the batch_size?
# written-for: tensorflow 1.4
# runs-with: none
# expect: CNN013 @ 40
# raised-by: tensorflow/core/kernels/sparse_xent_op.cc (tensorflow 1.x) `errors::InvalidArgument("labels must be 1-D, but got shape ", ...)`
# was-missed: raw TF losses are not modelled: the labels of tf.nn.sparse_softmax_cross_entropy_with_logits come through `y = tf.placeholder(tf.int64, shape=(None))` (no static shape), and the (50, 10) one-hot batch fed into it from read_data_sets(one_hot=True) is not compared with the loss's need for (batch,) class indices
# kind: mnist-loader
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

n_inputs = 28 * 28
n_hidden = 100
n_outputs = 10

mnist = input_data.read_data_sets("MNIST_data", one_hot=True)

X = tf.placeholder(tf.float32, shape=(None, n_inputs), name="X")
y = tf.placeholder(tf.int64, shape=(None), name="y")


def layer(inputs, units, activation=None):
    fan_in = int(inputs.get_shape()[1])
    W = tf.Variable(tf.truncated_normal((fan_in, units), stddev=2 / np.sqrt(fan_in)))
    b = tf.Variable(tf.zeros([units]))
    z = tf.matmul(inputs, W) + b
    return activation(z) if activation is not None else z


hidden = layer(X, n_hidden, tf.nn.relu)
logits = layer(hidden, n_outputs)
xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
loss = tf.reduce_mean(xentropy)
training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    tf.global_variables_initializer().run()
    for iteration in range(2):
        X_batch, y_batch = mnist.train.next_batch(50)
        sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
