# source: https://github.com/tensorflow/tensorflow/issues/30397 — ValueError: Cannot feed value of shape (60000,) for Tensor 'Placeholder_1:0', which has shape '(?, 10)'
# written-for: tensorflow 1.14
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_train = x_train.reshape(x_train.shape[0], 784).astype("float32") / 255
x_test = x_test.reshape(x_test.shape[0], 784).astype("float32") / 255
y_train = np.eye(10)[y_train]
y_test = np.eye(10)[y_test]


def add_layer(inputs, in_size, out_size, activation_function=None):
    weights = tf.Variable(tf.random_normal([in_size, out_size]))
    biases = tf.Variable(tf.zeros([out_size]) + 0.1)
    wx_plus_b = tf.matmul(inputs, weights) + biases
    return wx_plus_b if activation_function is None else activation_function(wx_plus_b)


xs = tf.placeholder(tf.float32, [None, 784])
ys = tf.placeholder(tf.float32, [None, 10])
prediction = add_layer(xs, 784, 10, activation_function=tf.nn.softmax)
cross_entropy = tf.reduce_mean(-tf.reduce_sum(ys * tf.log(prediction + 1e-9), axis=1))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)

sess = tf.Session()
sess.run(tf.global_variables_initializer())
sess.run(train_step, feed_dict={xs: x_train, ys: y_train})
