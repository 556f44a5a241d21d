# source: https://github.com/maestrojeong/deformable_convnet/issues/1 — Cannot feed value of shape (10000, 784) for Tensor
# written-for: tensorflow 1.x
# runs-with: none
# expect: CNN014 @ 29
# expect: CNN014 @ 29
# raised-by: tensorflow/python/client/session.py:1156 (tensorflow 1.15.2) `'Cannot feed value of shape %r for Tensor %r, '`
# kind: mnist-loader
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
batch_size = 100

images = tf.placeholder(tf.float32, [batch_size, 784])
labels = tf.placeholder(tf.float32, [batch_size, 10])
weights = tf.Variable(tf.zeros([784, 10]))
bias = tf.Variable(tf.zeros([10]))
logits = tf.matmul(images, weights) + bias
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
hits = tf.equal(tf.argmax(logits, 1), tf.argmax(labels, 1))
accuracy = tf.reduce_mean(tf.cast(hits, tf.float32))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(2):
        xs, ys = mnist.train.next_batch(batch_size)
        sess.run(train, feed_dict={images: xs, labels: ys})
    print(sess.run(accuracy, feed_dict={images: mnist.test.images, labels: mnist.test.labels}))
