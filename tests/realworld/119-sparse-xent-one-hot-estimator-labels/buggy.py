# source: https://github.com/aymericdamien/TensorFlow-Examples/issues/224 — tf.nn.sparse_softmax_cross_entropy_with_logits & "ValueError: Rank mismatch: Rank of labels (received 2) should equal rank of logits minus 1 (received 2).
# written-for: tensorflow 1.2
# runs-with: none
# expect: CNN013 @ 29
# raised-by: tensorflow/python/ops/nn_ops.py (tensorflow 1.2) `raise ValueError("Rank mismatch: Rank of labels (received %s) should equal rank of logits minus 1 (received %s)." ...)`
# missed: the labels reach model_fn through tf.estimator (`tf.estimator.inputs.numpy_input_fn(y=mnist.train.labels)` and the `labels` argument of the model function, which cnnlint does not connect), so the one-hot (batch, 10) labels given to sparse_softmax_cross_entropy_with_logits are unknown
# kind: losses
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data

mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)

num_classes = 10
learning_rate = 0.001


def conv_net(x, reuse, is_training):
    with tf.variable_scope("ConvNet", reuse=reuse):
        x = tf.reshape(x, shape=[-1, 28, 28, 1])
        x = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)
        x = tf.layers.max_pooling2d(x, 2, 2)
        x = tf.layers.flatten(x)
        x = tf.layers.dropout(x, rate=0.25, training=is_training)
        return tf.layers.dense(x, num_classes)


def model_fn(features, labels, mode):
    logits_train = conv_net(features, reuse=False, is_training=True)
    loss_op = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        logits=logits_train, labels=tf.cast(labels, dtype=tf.int32)))
    train_op = tf.train.AdamOptimizer(learning_rate).minimize(loss_op, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss_op, train_op=train_op)


model = tf.estimator.Estimator(model_fn)
input_fn = tf.estimator.inputs.numpy_input_fn(
    x=mnist.train.images, y=mnist.train.labels, batch_size=128, num_epochs=None, shuffle=True)
model.train(input_fn, steps=2)
