# source: https://github.com/aqibsaeed/Human-Activity-Recognition-using-CNN/issues/14 — Tensor Shape Issue
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: CNN014 @ 40
# error: Cannot feed value of shape (10, 1)
# kind: feed
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

input_height = 1
input_width = 90
num_channels = 3
num_labels = 6
batch_size = 10

# stand-in for the accelerometer windows: 90 readings of (x, y, z) per window and one activity id per window
segments = np.random.rand(40, input_height, input_width, num_channels).astype(np.float32)
labels = np.random.randint(0, num_labels, size=(40, 1))

X = tf.placeholder(tf.float32, shape=[None, input_height, input_width, num_channels])
Y = tf.placeholder(tf.float32, shape=[None, num_labels])
kernel = tf.Variable(tf.truncated_normal([1, 60, num_channels, 8], stddev=0.1))
conv = tf.nn.relu(tf.nn.depthwise_conv2d(X, kernel, [1, 1, 1, 1], padding="VALID"))
pool = tf.nn.max_pool(conv, ksize=[1, 1, 20, 1], strides=[1, 1, 2, 1], padding="VALID")
shape = pool.get_shape().as_list()
flat = tf.reshape(pool, [-1, shape[1] * shape[2] * shape[3]])
W = tf.Variable(tf.truncated_normal([shape[1] * shape[2] * shape[3], num_labels], stddev=0.1))
y_ = tf.nn.softmax(tf.matmul(flat, W))
loss = -tf.reduce_sum(Y * tf.log(y_ + 1e-9))
optimizer = tf.train.GradientDescentOptimizer(0.0001).minimize(loss)

with tf.Session() as session:
    tf.global_variables_initializer().run()
    for b in range(len(segments) // batch_size):
        offset = b * batch_size
        batch_x = segments[offset:offset + batch_size]
        batch_y = labels[offset:offset + batch_size]
        session.run(optimizer, feed_dict={X: batch_x, Y: batch_y})
