# source: https://github.com/tensorflow/tensorflow/issues/9055 — tf.matmul should be extended for rank 1 tensors
# written-for: tensorflow 1.0.1
# runs-with: tf1
# expect: CNN006 @ 19
# error: Shape must be rank 2 but is rank 1
# kind: tf-ops
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

features = np.array([1, 2, 1])
weights = np.array([[.5, .6], [.7, .8], [.7, .8]])
print(np.dot(features, weights))

a = tf.constant(features, dtype=tf.float64)
w = tf.constant(weights)
with tf.Session() as sess:
    print(tf.matmul(a, w).eval())
