# source: https://github.com/sthomp/tensorflow_transfer_cifar10/issues/4 — iterate_mini_batches
# written-for: tensorflow 0.12
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

# stand-in for the imported Inception graph: one image in, its pool_3 features reshaped to (1, 2048)
image = tf.placeholder(tf.float32, [1, 8, 8, 3])
mixed = tf.nn.conv2d(image, tf.Variable(tf.truncated_normal([1, 1, 3, 2048], stddev=0.1)), [1, 1, 1, 1], "SAME")
pool_3 = tf.nn.avg_pool(mixed, ksize=[1, 8, 8, 1], strides=[1, 1, 1, 1], padding="VALID")
pool_3_reshape = tf.reshape(pool_3, [1, 2048], name="pool_3/_reshape")

bottleneck_input = tf.placeholder_with_default(pool_3_reshape, shape=[None, 2048])
labels = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([2048, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(bottleneck_input, W) + b
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
train = tf.train.GradientDescentOptimizer(0.01).minimize(loss, var_list=[W, b])

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    # the bottleneck values are computed once per image, then used as training data for the new head
    bottlenecks = []
    for i in range(10):
        bottlenecks.append(sess.run(pool_3_reshape, feed_dict={image: np.random.rand(1, 8, 8, 3)})[0])
    bottlenecks = np.array(bottlenecks)
    targets = np.eye(10)
    sess.run(train, feed_dict={bottleneck_input: bottlenecks, labels: targets})
