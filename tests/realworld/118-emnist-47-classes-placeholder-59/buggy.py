# source: https://github.com/anandhkishan/Handwritten-Character-Recognition-using-CNN/issues/1 — Getting incorrect shape of input array while running the program
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: CNN014 @ 32
# error: Cannot feed value of shape (128, 47)
# was-missed: `np.arange(128) % 47` (the % operator on an array) has no known shape, so the one-hot labels `np.eye(47)[np.arange(128) % 47]` are unknown; their 47 columns (from np.eye(47)) are lost and not compared with the placeholder's 59
# kind: feed
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

num_classes = 59

# stand-in for the EMNIST balanced split: 47 classes, one-hot labels (128 rows here instead of 112800)
train_images = np.random.rand(128, 784).astype(np.float32)
train_labels = np.eye(47)[np.arange(128) % 47]

x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, num_classes])
x_image = tf.reshape(x, [-1, 28, 28, 1])
W_conv = tf.Variable(tf.truncated_normal([5, 5, 1, 8], stddev=0.1))
conv = tf.nn.relu(tf.nn.conv2d(x_image, W_conv, strides=[1, 1, 1, 1], padding="SAME"))
pool = tf.nn.max_pool(conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
W_fc = tf.Variable(tf.truncated_normal([14 * 14 * 8, num_classes], stddev=0.1))
y_conv = tf.matmul(tf.reshape(pool, [-1, 14 * 14 * 8]), W_fc)
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
train_step = tf.train.AdamOptimizer(1e-4).minimize(cross_entropy)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_step, feed_dict={x: train_images, y_: train_labels})
