# source: https://github.com/tensorflow/tpu/pull/557 — [fix] efficientnet input tensor shape error when num_label_classes == 1001
# written-for: tensorflow 1.14
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

batch_size = 64
num_label_classes = 1001

features = tf.constant(np.random.rand(batch_size, 32), dtype=tf.float32)
labels = tf.constant(np.random.randint(0, num_label_classes, size=(batch_size,)), dtype=tf.int32)
weights = tf.Variable(tf.zeros([32, num_label_classes]))
logits = tf.matmul(features, weights)

# the input pipeline's labels count from 1 when there are 1001 classes (0 is "background")
one_hot_labels = tf.one_hot(labels, num_label_classes)
cross_entropy = tf.losses.softmax_cross_entropy(logits=logits, onehot_labels=one_hot_labels, label_smoothing=0.1)
train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(cross_entropy)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train_op)
