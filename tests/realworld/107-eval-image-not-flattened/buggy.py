# source: https://github.com/c1mone/Tensorflow-101/issues/6 — Cannot feed value of shape
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: CNN014 @ 30
# error: Cannot feed value of shape (1, 32, 32, 1)
# kind: feed
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

x = tf.placeholder(tf.float32, shape=[None, 1024])
y_ = tf.placeholder(tf.float32, shape=[None, 5])
W = tf.Variable(tf.zeros([1024, 5]))
b = tf.Variable(tf.zeros([5]))
y = tf.matmul(x, W) + b
cross_entropy = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))

train_x = np.random.rand(40, 1024).astype(np.float32)
train_y = np.eye(5)[np.arange(40) % 5]
picture = np.random.rand(32, 32)
picture_label = np.eye(5)[[2]]

sess = tf.InteractiveSession()
tf.global_variables_initializer().run()
train_step.run(feed_dict={x: train_x, y_: train_y})
print(accuracy.eval(feed_dict={x: picture.reshape(1, 32, 32, 1), y_: picture_label}))
