# source: https://github.com/santi-pdp/segan/issues/56 — why cann't concat (x0 and diff)
# written-for: tensorflow 0.12 code run on tensorflow 1.x
# runs-with: tf1
# expect: CNN008 @ 18
# error: Dimension 0 in both shapes must be equal
# raised-by: tf.concat(0, [x0, diff]) is the TF 0.x argument order; from TF 1.0 the signature is concat(values, axis), so the two tensors are packed as the axis (tensorflow/python/ops/array_ops.py concat → Pack), which raises "Dimension 0 in both shapes must be equal, but are 1 and 16383"
# missed: the TF 0.x call `tf.concat(0, [x0, diff])` binds values=0 and axis=[x0, diff] under the TF 1.x signature concat(values, axis); cnnlint does not model a list of tensors passed as the axis (packed by TensorFlow, which fails on the (1,) and (16383,) shapes)
# kind: tf-ops
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def pre_emph(x, coeff=0.95):
    x0 = tf.reshape(x[0], [1, ])
    diff = x[1:] - coeff * x[:-1]
    concat = tf.concat(0, [x0, diff])
    return concat


wave = tf.placeholder(tf.float32, [16384])
emphasised = pre_emph(wave)
with tf.Session() as sess:
    print(sess.run(emphasised, feed_dict={wave: np.random.rand(16384)}).shape)
