# source: https://github.com/ageron/handson-ml/issues/610 — Chapter 10, "Using plain tensorflow" does not work
# written-for: tensorflow 1.15.2
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


n_inputs = 28 * 28
n_hidden = 100
n_outputs = 10

(X_train, y_train), (X_test, y_test) = tf.keras.datasets.mnist.load_data()
X_train = X_train.astype(np.float32).reshape(-1, 28 * 28) / 255.0
y_train = y_train.astype(np.int32)
X_valid, X_train = X_train[:32], X_train[32:]
y_valid, y_train = y_train[:32], y_train[32:]

X = tf.placeholder(tf.float32, shape=(None, n_inputs), name="X")
y = tf.placeholder(tf.int32, shape=(None), name="y")
hidden = dense(X, n_hidden, activation=tf.nn.relu)
logits = dense(hidden, n_outputs)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, y, 1), tf.float32))

with tf.Session() as sess:
    tf.global_variables_initializer().run()
    sess.run(training_op, feed_dict={X: X_train, y: y_train})
    acc_val = accuracy.eval(feed_dict={X: X_valid, y: y_valid})
