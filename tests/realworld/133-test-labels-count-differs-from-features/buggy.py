# source: https://github.com/ayush1997/Xvision/issues/7 — Error while running test_model.py : Incompatible shapes
# written-for: tensorflow 1.0
# runs-with: tf1
# expect: CNN013 @ 30
# error: Incompatible shapes: [9] vs. [25]
# was-missed: in a raw TF graph the number of rows fed to `x` (9) and to `y` (25) are not compared: CNN013 compares labels with examples at fit/evaluate only, and nothing relates the two placeholders through tf.equal(tf.argmax(soft, 1), tf.argmax(y, 1))
# kind: feed
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

# stand-in for the transfer-values file and the label file of the test set: the features
# were computed for 9 images, the label file lists 25
content_features = np.random.rand(9, 2048).astype(np.float32)
test_label = np.eye(2)[np.arange(25) % 2]

x = tf.placeholder(tf.float32, shape=[None, 2048])
y = tf.placeholder(tf.float32, shape=[None, 2])
W = tf.Variable(tf.zeros([2048, 2]))
b = tf.Variable(tf.zeros([2]))
soft = tf.nn.softmax(tf.matmul(x, W) + b)
predicted_y = tf.argmax(soft, 1)
actual_y = tf.argmax(y, 1)
correct = tf.equal(predicted_y, actual_y)
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

with tf.Session() as sess1:
    sess1.run(tf.global_variables_initializer())
    acc, pred, s, actual = sess1.run([accuracy, predicted_y, soft, actual_y],
                                     feed_dict={x: content_features, y: test_label})
