# source: https://github.com/tensorflow/tensorflow/issues/947 — sparse_softmax_cross_entropy_with_logits fails when labels is a placeholder
# written-for: tensorflow 0.6
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def dense(inputs, units, activation=None):
    fan_in = int(inputs.get_shape()[-1])
    weights = tf.Variable(tf.truncated_normal([fan_in, units], stddev=0.1))
    biases = tf.Variable(tf.zeros([units]))
    out = tf.matmul(inputs, weights) + biases
    return out if activation is None else activation(out)


features = tf.placeholder("float32", (None, 20))
labels = tf.placeholder("int64", (None,))
logits = dense(features, 32)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train, feed_dict={features: np.random.rand(16, 20), labels: np.random.randint(0, 32, size=(16,))})
