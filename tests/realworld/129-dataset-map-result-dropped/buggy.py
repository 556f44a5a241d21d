# source: https://github.com/tensorflow/tensorflow/issues/13508 — Iterator.get_next() returning a tensor of shape ()
# written-for: tensorflow 1.3
# runs-with: tf1
# expect: CNN006 @ 30
# error: must be rank 4
# kind: tf-data
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

height, width, channels = 28, 28, 1

# stand-in for the TFRecord file: each record holds one flattened image and its label
records = np.random.rand(64, height * width * channels).astype(np.float32)
record_labels = np.random.randint(0, 10, size=(64,)).astype(np.int32)


def parse_function(flat, label):
    return tf.reshape(flat, [height, width, channels]), label


dataset = tf.data.Dataset.from_tensor_slices((records, record_labels))
dataset.map(parse_function)
dataset = dataset.batch(16)
iterator = dataset.make_one_shot_iterator()
images, labels = iterator.get_next()

kernel = tf.Variable(tf.truncated_normal([5, 5, channels, 8], stddev=0.1))
conv = tf.nn.relu(tf.nn.conv2d(images, kernel, strides=[1, 1, 1, 1], padding="SAME"))
pool = tf.nn.max_pool(conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
W = tf.Variable(tf.truncated_normal([14 * 14 * 8, 10], stddev=0.1))
logits = tf.matmul(tf.reshape(pool, [-1, 14 * 14 * 8]), W)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op)
