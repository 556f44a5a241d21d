# source: https://github.com/talolard/MarketVectors/issues/5 — MarketVectors Error after import from iPython to Python, error not related...
# written-for: tensorflow 1.1
# runs-with: tf1
# expect: CNN013 @ 33
# error: labels.shape.rank
# raised-by: tensorflow/python/ops/nn_ops.py (tensorflow 1.1) `ValueError: Rank mismatch: Rank of labels (received 2) should equal rank of logits minus 1 (received 1)`; TF 2.21 words it "`labels.shape.rank` must equal `logits.shape.rank - 1`"
# kind: losses
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def dense(inputs, units, activation=None):
    fan_in = int(inputs.get_shape()[-1])
    weights = tf.Variable(tf.truncated_normal([fan_in, units], stddev=0.1))
    biases = tf.Variable(tf.zeros([units]))
    out = tf.matmul(inputs, weights) + biases
    return out if activation is None else activation(out)


num_features = 40
num_classes = 11


class Model:
    def __init__(self):
        self.input_data = tf.placeholder(dtype=tf.float32, shape=[None, num_features])
        self.target_data = tf.placeholder(dtype=tf.int32, shape=[None])
        with tf.variable_scope("ff"):
            hidden = dense(self.input_data, 64, activation=tf.nn.relu)
            self.logits = dense(hidden, num_classes)
        self.losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=self.logits, logits=self.target_data)
        self.loss = tf.reduce_mean(self.losses)
        self.train_op = tf.train.AdamOptimizer(1e-3).minimize(self.loss)


model = Model()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(model.train_op, feed_dict={model.input_data: np.random.rand(32, num_features),
                                        model.target_data: np.random.randint(0, num_classes, size=32)})
