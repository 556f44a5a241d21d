# source: https://github.com/KGPML/Deep-Vessel/issues/4 — reshape error
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: CNN001 @ 32
# error: Dimension size must be evenly divisible by 3136 but is 36864
# kind: tf-ops
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

batch_size = 64
patch_size = 10

x = tf.placeholder(tf.float32, shape=[batch_size, patch_size, patch_size, 1])
y_ = tf.placeholder(tf.float32, shape=[batch_size, 2])


def weight_variable(shape):
    return tf.Variable(tf.truncated_normal(shape, stddev=0.1))


def conv_pool(inputs, w):
    h = tf.nn.relu(tf.nn.conv2d(inputs, w, strides=[1, 1, 1, 1], padding="SAME"))
    return tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


h_pool1 = conv_pool(x, weight_variable([5, 5, 1, 32]))
h_pool2 = conv_pool(h_pool1, weight_variable([5, 5, 32, 64]))
# copied from the MNIST tutorial, where 28 x 28 images leave a 7 x 7 map here
W_fc1 = weight_variable([7 * 7 * 64, 1024])
h_pool2_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
h_fc1 = tf.nn.relu(tf.matmul(h_pool2_flat, W_fc1))
y_conv = tf.matmul(h_fc1, weight_variable([1024, 2]))
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
train_step = tf.train.AdamOptimizer(1e-4).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_step, feed_dict={x: np.random.rand(batch_size, patch_size, patch_size, 1),
                                    y_: np.eye(2)[np.zeros(batch_size, dtype=int)]})
