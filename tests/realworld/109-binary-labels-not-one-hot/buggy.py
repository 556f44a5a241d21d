# source: https://github.com/tensorflow/tensorflow/issues/5905 — Tensorflow - ValueError: Cannot feed value of shape
# written-for: tensorflow 0.11
# runs-with: tf1
# expect: CNN014 @ 36
# error: Cannot feed value of shape (40,)
# kind: feed
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def init_weights(shape):
    return tf.Variable(tf.random_normal(shape, stddev=0.01))


def model(X, w):
    return tf.matmul(X, w)


# stand-in for np.genfromtxt of the csv files: 12 integer features, a 0/1 label per row
trX = np.random.randint(0, 5, size=(80, 12)).astype(np.float32)
trY = np.random.randint(0, 2, size=(80,))

X = tf.placeholder("float", [None, 12])
Y = tf.placeholder("float", [None, 2])
w = init_weights([12, 2])
py_x = model(X, w)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=py_x, labels=Y))
train_op = tf.train.GradientDescentOptimizer(0.05).minimize(cost)
predict_op = tf.argmax(py_x, 1)

with tf.Session() as sess:
    tf.global_variables_initializer().run()
    for start, end in zip(range(0, len(trX), 40), range(40, len(trX) + 1, 40)):
        sess.run(train_op, feed_dict={X: trX[start:end], Y: trY[start:end]})
