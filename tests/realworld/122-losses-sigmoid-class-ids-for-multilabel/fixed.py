# source: https://github.com/tensorflow/models/issues/4396 — multi-label classification problem
# written-for: tensorflow 1.8
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

batch_size = 32
num_classes = 63

# stand-in for the slim batch queue: images and the labels read from the tfrecords
images = tf.constant(np.random.rand(batch_size, 16, 16, 3), dtype=tf.float32)
labels = tf.constant(np.random.randint(0, 2, size=(batch_size, num_classes)), dtype=tf.int64)
# labels = slim.one_hot_encoding(labels, num_classes)   <- commented out to feed N-hot labels
kernel = tf.Variable(tf.truncated_normal([3, 3, 3, 8], stddev=0.1))
net = tf.nn.relu(tf.nn.conv2d(images, kernel, strides=[1, 1, 1, 1], padding="VALID"))
weights = tf.Variable(tf.truncated_normal([14 * 14 * 8, num_classes], stddev=0.1))
logits = tf.matmul(tf.reshape(net, [-1, 14 * 14 * 8]), weights)
loss = tf.losses.sigmoid_cross_entropy(multi_class_labels=labels, logits=logits, weights=1.0)
train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op)
