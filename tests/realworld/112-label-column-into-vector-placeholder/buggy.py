# source: https://github.com/AFAgarap/feed-forward-neural-network/issues/2 — Cannot feed value of shape (100, 1) for Tensor 'input/Y:0', which has shape '(?,)'
# written-for: tensorflow 1.13
# runs-with: tf1
# expect: CNN014 @ 45
# error: Cannot feed value of shape (100, 1)
# kind: feed
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def dense(inputs, units, activation=None):
    fan_in = int(inputs.get_shape()[-1])
    weights = tf.Variable(tf.truncated_normal([fan_in, units], stddev=0.1))
    biases = tf.Variable(tf.zeros([units]))
    out = tf.matmul(inputs, weights) + biases
    return out if activation is None else activation(out)


n_features = 20
n_classes = 2
batch_size = 100

# stand-in for the csv columns: the label column is kept two-dimensional, (rows, 1)
x_train = np.random.rand(300, n_features).astype(np.float32)
y_train = np.random.randint(0, n_classes, size=(300, 1))

with tf.name_scope("input"):
    X = tf.placeholder(tf.float32, [None, n_features], name="X")
    Y = tf.placeholder(tf.int32, [None], name="Y")
    Y_onehot = tf.one_hot(indices=Y, depth=n_classes, on_value=1.0, off_value=0.0)

hidden = dense(X, 32, activation=tf.nn.relu)
logits = dense(hidden, n_classes)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y_onehot, logits=logits))
optimizer = tf.train.AdamOptimizer(0.01).minimize(cost)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(2):
        offset = i * batch_size
        batch_x = x_train[offset:offset + batch_size]
        batch_y = y_train[offset:offset + batch_size]
        sess.run(optimizer, feed_dict={X: batch_x, Y: batch_y})
