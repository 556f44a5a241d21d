# source: https://github.com/igul222/improved_wgan_training/issues/82 — inception_score.py: ValueError in the method _init_inception()
# written-for: tensorflow 1.12
# runs-with: tf1
# expect: CNN006 @ 17
# error: Shape must be rank 2 but is rank 1
# kind: tf-ops
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

# stand-in for the Inception graph loaded from its GraphDef: the pool_3 output, set to a batch of one
images = tf.placeholder(tf.float32, [1, 8, 8, 3])
mixed = tf.nn.conv2d(images, tf.Variable(tf.truncated_normal([1, 1, 3, 2048], stddev=0.1)), [1, 1, 1, 1], "SAME")
pool3 = tf.nn.avg_pool(mixed, ksize=[1, 8, 8, 1], strides=[1, 1, 1, 1], padding="VALID")
w = tf.Variable(tf.truncated_normal([2048, 1008], stddev=0.01))
logits = tf.matmul(tf.squeeze(pool3), w)
softmax = tf.nn.softmax(logits)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(softmax, feed_dict={images: np.random.rand(1, 8, 8, 3)}).shape)
