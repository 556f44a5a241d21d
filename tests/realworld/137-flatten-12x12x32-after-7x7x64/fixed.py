# source: https://github.com/tensorflow/tensorflow/issues/6249 — InvalidArgumentError: Input to reshape is a tensor with 313600 values, but the requested shape requires a multiple of 4608
# written-for: tensorflow 0.12
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

batch_size = 100
nb_classes = 10

x = tf.placeholder(tf.float32, [None, 784])
y_ = tf.placeholder(tf.float32, [None, nb_classes])
keep_prob = tf.placeholder(tf.float32)
x_image = tf.reshape(x, [-1, 28, 28, 1])

W_conv1 = tf.Variable(tf.truncated_normal([3, 3, 1, 32], stddev=0.1))
h_conv1 = tf.nn.relu(tf.nn.conv2d(x_image, W_conv1, strides=[1, 1, 1, 1], padding="SAME"))
h_pool1 = tf.nn.max_pool(h_conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
W_conv2 = tf.Variable(tf.truncated_normal([3, 3, 32, 64], stddev=0.1))
h_conv2 = tf.nn.relu(tf.nn.conv2d(h_pool1, W_conv2, strides=[1, 1, 1, 1], padding="SAME"))
h_pool2 = tf.nn.max_pool(h_conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
h_drop = tf.nn.dropout(h_pool2, keep_prob)

# the Keras example flattens 12 x 12 x 32 after its two valid convolutions
W_fc1 = tf.Variable(tf.truncated_normal([7 * 7 * 64, 128], stddev=0.1))
h_flat = tf.reshape(h_drop, [-1, 7 * 7 * 64])
h_fc1 = tf.nn.relu(tf.matmul(h_flat, W_fc1))
W_fc2 = tf.Variable(tf.truncated_normal([128, nb_classes], stddev=0.1))
y_conv = tf.matmul(h_fc1, W_fc2)
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y_conv))
train_step = tf.train.AdadeltaOptimizer(1.0).minimize(cross_entropy)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch_x = np.random.rand(batch_size, 784)
    batch_y = np.eye(nb_classes)[np.zeros(batch_size, dtype=int)]
    sess.run(train_step, feed_dict={x: batch_x, y_: batch_y, keep_prob: 0.75})
