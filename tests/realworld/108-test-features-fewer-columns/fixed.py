# source: https://github.com/jazzsaxmafia/video_to_sequence/issues/16 — ValueError: Cannot feed value of shape
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

n_features = 122
n_classes = 15

X = tf.placeholder(tf.float32, shape=[None, n_features])
Y_ = tf.placeholder(tf.float32, shape=[None, n_classes])
W = tf.Variable(tf.truncated_normal([n_features, n_classes], stddev=0.1))
b = tf.Variable(tf.zeros([n_classes]))
Y = tf.matmul(X, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=Y_, logits=Y))
train = tf.train.AdamOptimizer(0.001).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(Y, 1), tf.argmax(Y_, 1)), tf.float32))

# one-hot encoded records: the training file has every category, the test file lacks some of them
train_x = np.zeros((512, 122), dtype=np.float32)
train_y = np.eye(n_classes)[np.arange(512) % n_classes]
test_x = np.zeros((256, 114), dtype=np.float32)
# give the test records the training file's columns: the categories they lack are all zero
test_x = np.hstack([test_x, np.zeros((256, n_features - 114), dtype=np.float32)])
test_y = np.eye(n_classes)[np.arange(256) % n_classes]

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(train, feed_dict={X: train_x, Y_: train_y})
    print(sess.run(accuracy, feed_dict={X: test_x, Y_: test_y}))
