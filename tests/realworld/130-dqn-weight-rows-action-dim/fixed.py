# source: https://github.com/go2sea/DQfD/issues/5 — Matmul dimension error in DQfD_V3
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


class DQfD:
    def __init__(self, state_dim, action_dim):
        self.state_dim = state_dim
        self.action_dim = action_dim
        self.state = tf.placeholder(tf.float32, [None, self.state_dim])
        self.q_target = tf.placeholder(tf.float32, [None, self.action_dim])
        self.q_eval = self.build_layers(self.state, units_1=24, units_2=24)
        self.loss = tf.reduce_mean(tf.squared_difference(self.q_eval, self.q_target))
        self.train_op = tf.train.AdamOptimizer(1e-3).minimize(self.loss)

    def build_layers(self, state, units_1, units_2):
        a_d = self.action_dim
        initializer = tf.random_normal_initializer(0., 0.3)
        with tf.variable_scope("l1"):
            w1 = tf.get_variable("w1", [self.state_dim, units_1], initializer=initializer)
            b1 = tf.get_variable("b1", [1, units_1], initializer=initializer)
            dense1 = tf.nn.relu(tf.matmul(state, w1) + b1)
        with tf.variable_scope("l2"):
            w2 = tf.get_variable("w2", [units_1, units_2], initializer=initializer)
            b2 = tf.get_variable("b2", [1, units_2], initializer=initializer)
            dense2 = tf.nn.relu(tf.matmul(dense1, w2) + b2)
        with tf.variable_scope("l3"):
            w3 = tf.get_variable("w3", [units_2, a_d], initializer=initializer)
            b3 = tf.get_variable("b3", [1, a_d], initializer=initializer)
            return tf.matmul(dense2, w3) + b3


agent = DQfD(state_dim=4, action_dim=2)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(agent.train_op, feed_dict={agent.state: np.random.rand(8, 4), agent.q_target: np.random.rand(8, 2)})
