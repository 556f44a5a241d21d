# source: https://github.com/Hvass-Labs/TensorFlow-Tutorials/issues/5 — ValueError: Cannot feed value of shape (64, 784) for Tensor 'x_data_2:0', which has shape '(?, 728)'
# written-for: tensorflow 0.11
# runs-with: none
# expect: CNN004 @ 18
# expect: CNN014 @ 34
# raised-by: tensorflow/python/client/session.py:1156 (tensorflow 1.15.2) `'Cannot feed value of shape %r for Tensor %r, '`
# kind: mnist-loader
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)

side = 28
pixels = 728
classes = 10

flat_images = tf.placeholder(tf.float32, [None, pixels])
images = tf.reshape(flat_images, [-1, side, side, 1])
onehot = tf.placeholder(tf.float32, [None, classes])

kernel = tf.Variable(tf.truncated_normal([5, 5, 1, 16], stddev=0.05))
hidden = tf.nn.relu(tf.nn.conv2d(images, kernel, strides=[1, 1, 1, 1], padding="SAME"))
hidden = tf.nn.max_pool(hidden, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
hidden = tf.reshape(hidden, [-1, 14 * 14 * 16])
weights = tf.Variable(tf.truncated_normal([14 * 14 * 16, classes], stddev=0.05))
logits = tf.matmul(hidden, weights)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=onehot, logits=logits))
step = tf.train.AdamOptimizer(1e-4).minimize(loss)

session = tf.Session()
session.run(tf.global_variables_initializer())
for i in range(2):
    batch_images, batch_labels = mnist.train.next_batch(64)
    session.run(step, feed_dict={flat_images: batch_images, onehot: batch_labels})
