# source: https://github.com/biomedia-mira/masf/issues/3 — Cannot feed value of shape (126,) which has shape '(128,)'
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: CNN014 @ 39
# expect: CNN014 @ 39
# error: Cannot feed value of shape (126
# kind: loops
# was-missed: the feed dict was passed by position (`sess.run(op, feed)`), which CNN014 did not read
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def dense(inputs, units, activation=None):
    fan_in = int(inputs.get_shape()[-1])
    weights = tf.Variable(tf.truncated_normal([fan_in, units], stddev=0.1))
    biases = tf.Variable(tf.zeros([units]))
    out = tf.matmul(inputs, weights) + biases
    return out if activation is None else activation(out)


batch_size = 128
n_classes = 7

images = np.random.rand(1150, 64).astype(np.float32)
labels = np.random.randint(0, n_classes, size=(1150,))

inputs = tf.placeholder(tf.float32, [batch_size, 64])
targets = tf.placeholder(tf.int64, [batch_size])
logits = dense(inputs, n_classes)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits))
train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for start in range(0, len(images), batch_size):
        feed_dict = {inputs: images[start:start + batch_size], targets: labels[start:start + batch_size]}
        sess.run(train_op, feed_dict)
