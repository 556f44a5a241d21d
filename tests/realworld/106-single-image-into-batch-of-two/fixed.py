# source: https://github.com/infocusp/tf_cnnvis/issues/9 — why I always meet this problem?
# written-for: tensorflow 1.1
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

images = tf.placeholder("float", [2, 224, 224, 3])
kernel = tf.Variable(tf.truncated_normal([3, 3, 3, 4], stddev=0.1))
activation = tf.nn.relu(tf.nn.conv2d(images, kernel, strides=[1, 4, 4, 1], padding="SAME"))

first = np.random.rand(224, 224, 3)
second = np.random.rand(224, 224, 3)
batch_first = first.reshape((1, 224, 224, 3))
batch_second = second.reshape((1, 224, 224, 3))
batch = np.concatenate((batch_first, batch_second), 0)
feed_dict = {images: batch}

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    maps = sess.run(activation, feed_dict=feed_dict)
