# source: https://github.com/lululxvi/deeponet/issues/40 — ValueError: Cannot feed value of shape (100000, 225) for Tensor Placeholder:0, which has shape (?, 15)
# written-for: tensorflow 2.x (tf.compat.v1)
# runs-with: tf1
# expect: CNN014 @ 35
# error: Cannot feed value of shape (500, 225)
# kind: feed
# was-missed: the feed dict was passed by position (`sess.run(op, feed)`), which CNN014 did not read
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

m = 15  # sensors per axis

# stand-in for the fractional Laplacian data: each input function is sampled on an m x m grid
# of sensors, flattened; the trunk gets the (x, y) location (500 samples instead of 100000)
u_train = np.random.rand(500, m * m).astype(np.float32)
y_train = np.random.rand(500, 2).astype(np.float32)
G_train = np.random.rand(500, 1).astype(np.float32)

X_func = tf.placeholder(tf.float32, [None, m])
X_loc = tf.placeholder(tf.float32, [None, 2])
y_true = tf.placeholder(tf.float32, [None, 1])
W_branch = tf.Variable(tf.random_normal([m, 40], stddev=0.1))
W_trunk = tf.Variable(tf.random_normal([2, 40], stddev=0.1))
branch = tf.matmul(X_func, W_branch)
trunk = tf.nn.tanh(tf.matmul(X_loc, W_trunk))
y_pred = tf.reduce_sum(branch * trunk, axis=1, keepdims=True)
loss = tf.reduce_mean(tf.square(y_pred - y_true))
train_op_Adam = tf.train.AdamOptimizer(1e-3).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed_train_batch = {X_func: u_train, X_loc: y_train, y_true: G_train}
    sess.run(train_op_Adam, feed_train_batch)
