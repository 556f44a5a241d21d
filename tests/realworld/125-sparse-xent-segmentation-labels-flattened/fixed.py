# source: https://github.com/tensorflow/tensorflow/issues/16345 — tf.nn.sparse_softmax_cross_entropy_with_logits get error: ValueError: Rank mismatch: Rank of labels (received 1) should equal rank of logits minus 1 (received 4).
# written-for: tensorflow 1.4
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

num_classes = 3
images = tf.placeholder(tf.float32, [None, 16, 16, 3])
masks = tf.placeholder(tf.int32, [None, 16, 16])
kernel = tf.Variable(tf.truncated_normal([3, 3, 3, num_classes], stddev=0.1))
logits = tf.nn.conv2d(images, kernel, strides=[1, 1, 1, 1], padding="SAME")
labels = tf.reshape(masks, [-1])
logits = tf.reshape(logits, [-1, num_classes])
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op, feed_dict={images: np.random.rand(2, 16, 16, 3), masks: np.zeros((2, 16, 16))})
