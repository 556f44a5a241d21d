# source: https://github.com/ritheshkumar95/im2latex-tensorflow/issues/24 — ValueError: Depth of input (32) is not a multiple of input depth of filter (64) for 'conv2/Conv2D' (op: 'Conv2D') with input shapes: [?,?,?,32], [3,3,64,128].
# written-for: tensorflow 1.13
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

NUM_FEATS_START = 64


def conv2d(name, inputs, filter_size, stride, input_dim, output_dim, pad="SAME"):
    with tf.variable_scope(name):
        filters = tf.get_variable("filters", [filter_size, filter_size, input_dim, output_dim])
        return tf.nn.conv2d(inputs, filters, strides=[1, stride, stride, 1], padding=pad, data_format="NHWC")


def im2latex_cnn(X, num_feats):
    X = X - 128.
    X = X / 128.
    X = tf.nn.relu(conv2d("conv1", X, 3, 1, 1, num_feats // 2))
    X = tf.nn.max_pool(X, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    X = tf.nn.relu(conv2d("conv2", X, 3, 1, num_feats // 2, num_feats * 2))
    X = tf.nn.max_pool(X, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    return X


images = tf.placeholder(tf.float32, shape=(None, None, None, 1))
ctx = im2latex_cnn(images, NUM_FEATS_START)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(ctx, feed_dict={images: np.zeros((2, 32, 96, 1))}).shape)
