# source: https://github.com/Hvass-Labs/TensorFlow-Tutorials/issues/104 — Cannot feed value of shape (36, 784) for Tensor 'Reshape:0', which has shape '(?, 28, 28, 1)'
# written-for: tensorflow 1.13
# runs-with: none
# expect: CNN014 @ 33
# raised-by: tensorflow/python/client/session.py:1156 (tensorflow 1.15.2) `'Cannot feed value of shape %r for Tensor %r, '`
# was-missed: the fed key `x` is rebound to the output of tf.reshape (a tensor, not a tf.placeholder); CNN014 checks feeds into placeholders only, so feeding the (?, 28, 28, 1) reshape tensor is not checked
# kind: mnist-loader
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

data = input_data.read_data_sets("data/MNIST/", one_hot=True)

height = width = 28
channels = 1
n_classes = 10

x = tf.placeholder(tf.float32, shape=[None, height, width, channels], name="X")
y = tf.placeholder(tf.float32, shape=[None, n_classes], name="Y")
x = tf.reshape(x, shape=[-1, height, width, channels])

filters = tf.Variable(tf.truncated_normal([3, 3, channels, 8], stddev=0.1))
features = tf.nn.relu(tf.nn.conv2d(x, filters, strides=[1, 1, 1, 1], padding="SAME"))
features = tf.reshape(features, [-1, height * width * 8])
dense = tf.Variable(tf.truncated_normal([height * width * 8, n_classes], stddev=0.1))
logits = tf.matmul(features, dense)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
optimizer = tf.train.AdamOptimizer(1e-4).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(2):
        batch_x, batch_y = data.train.next_batch(36)
        sess.run(optimizer, feed_dict={x: batch_x, y: batch_y})
