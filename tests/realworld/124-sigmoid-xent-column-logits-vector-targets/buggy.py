# source: https://github.com/tensorflow/tensorflow/issues/1343 — sigmoid cross entropy doesn't verify shapes
# written-for: tensorflow 0.7.1
# runs-with: tf1
# expect: CNN013 @ 18
# error: must have the same shape
# raised-by: in tensorflow 0.7.1 the (n, 1) logits and (n,) targets broadcast silently to an (n, n) loss; the shape check added for this issue (tensorflow/python/ops/nn_impl.py) raises "`logits` and `labels` must have the same shape" in TF 2.21
# kind: losses
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

n = 8
x = tf.placeholder(tf.float32, [n, 3])
targets = tf.placeholder(tf.float32, [n])
w = tf.Variable(tf.zeros([3, 1]))
logits = tf.matmul(x, w)
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=logits, labels=targets))
step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(step, feed_dict={x: np.random.rand(n, 3), targets: np.random.randint(0, 2, size=n)})
