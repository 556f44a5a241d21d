# source: https://github.com/legolas123/cv-tricks.com/issues/12 — training cnn network
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: CNN014 @ 40
# error: Cannot feed value of shape (500, 999)
# kind: feed
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

# stand-in for np.loadtxt("images.csv"): one row per image, the label then 61 * 72 pixels
# (1000 rows here instead of 100000)
csv_rows = np.random.rand(1000, 1 + 61 * 72)
data_in = np.transpose(csv_rows)

train_X = data_in[0:800, :]
n_epochs = 1
batch_size = 500
height = 61
width = 72
channels = 1
n_inputs = height * width

X = tf.placeholder(tf.float32, shape=[batch_size, n_inputs], name="X")
X_reshaped = tf.reshape(X, shape=[-1, height, width, channels])
y = tf.placeholder(tf.int32, shape=[batch_size], name="y")
W1 = tf.Variable(tf.truncated_normal([5, 5, channels, 4], stddev=0.1))
conv = tf.nn.relu(tf.nn.conv2d(X_reshaped, W1, strides=[1, 4, 4, 1], padding="SAME"))
conv_flat = tf.reshape(conv, [-1, 16 * 18 * 4])
W2 = tf.Variable(tf.truncated_normal([16 * 18 * 4, 50], stddev=0.1))
logits = tf.matmul(conv_flat, W2)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
training_op = tf.train.AdamOptimizer().minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    X_batch = train_X[:batch_size, 1:]
    y_batch = train_X[:batch_size, 0].astype(np.int32) % 50
    sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
