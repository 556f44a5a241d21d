# source: https://github.com/sthomp/tensorflow_transfer_cifar10/issues/4 — iterate_mini_batches
# written-for: tensorflow 0.12
# runs-with: tf1
# expect: CNN014 @ 34
# error: Cannot feed value of shape (10, 2048)
# was-missed: the fed key `pool_3_reshape` is the output of tf.reshape (fixed shape (1, 2048)), not a tf.placeholder; CNN014 checks feeds into placeholders only, so the (10, 2048) bottleneck array fed in its place is not checked
# kind: session
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

# stand-in for the imported Inception graph: one image in, its pool_3 features reshaped to (1, 2048)
image = tf.placeholder(tf.float32, [1, 8, 8, 3])
mixed = tf.nn.conv2d(image, tf.Variable(tf.truncated_normal([1, 1, 3, 2048], stddev=0.1)), [1, 1, 1, 1], "SAME")
pool_3 = tf.nn.avg_pool(mixed, ksize=[1, 8, 8, 1], strides=[1, 1, 1, 1], padding="VALID")
pool_3_reshape = tf.reshape(pool_3, [1, 2048], name="pool_3/_reshape")

labels = tf.placeholder(tf.float32, [None, 10])
W = tf.Variable(tf.zeros([2048, 10]))
b = tf.Variable(tf.zeros([10]))
logits = tf.matmul(pool_3_reshape, W) + b
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
    sess.run(train, feed_dict={pool_3_reshape: bottlenecks, labels: targets})
