# source: https://github.com/tensorflow/tensorflow/issues/20921 — ValueError: Cannot feed value of shape (5, 100, 100, 3) for Tensor 'X:0', which has shape '(?, 100, 100)'
# written-for: tensorflow 1.8
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def dense(inputs, units, activation=None):
    fan_in = int(inputs.get_shape()[-1])
    weights = tf.Variable(tf.truncated_normal([fan_in, units], stddev=0.1))
    biases = tf.Variable(tf.zeros([units]))
    out = tf.matmul(inputs, weights) + biases
    return out if activation is None else activation(out)


height_width = 100
batch_size = 5

# stand-in for the resized face pictures read back with imageio.imread: they keep their 3 colour channels
pictures = np.random.rand(20, height_width, height_width, 3).astype(np.float32)

X = tf.placeholder(dtype=tf.float32, shape=[None, height_width, height_width], name="X")
flat = tf.reshape(X, [-1, height_width * height_width])
code = dense(flat, 64, activation=tf.nn.relu)
decoded = dense(code, height_width * height_width, activation=tf.nn.sigmoid)
loss = tf.reduce_mean(tf.square(decoded - flat))
optimizer = tf.train.AdamOptimizer(1e-3).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(len(pictures) // batch_size):
        X_batch = pictures[i * batch_size:(i + 1) * batch_size].mean(axis=3)
        sess.run(optimizer, feed_dict={X: X_batch})
