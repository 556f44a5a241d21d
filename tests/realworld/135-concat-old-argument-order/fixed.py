# source: https://github.com/santi-pdp/segan/issues/56 — why cann't concat (x0 and diff)
# written-for: tensorflow 0.12 code run on tensorflow 1.x
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def pre_emph(x, coeff=0.95):
    x0 = tf.reshape(x[0], [1, ])
    diff = x[1:] - coeff * x[:-1]
    concat = tf.concat([x0, diff], 0)
    return concat


wave = tf.placeholder(tf.float32, [16384])
emphasised = pre_emph(wave)
with tf.Session() as sess:
    print(sess.run(emphasised, feed_dict={wave: np.random.rand(16384)}).shape)
