# source: https://github.com/taspinar/sidl/issues/5 — ValueError: Dimensions must be equal, but are 32768 and 25088 for ‘MatMul’ (op: ‘MatMul’) with input shapes: [16,32768], [25088,4096]
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: CNN002 @ 38
# error: Dimensions must be equal, but are 32768 and 25088
# kind: tf-ops
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

image_width = 256
image_height = 256
image_depth = 3
num_labels = 17
batch_size = 1


def conv_block(data, in_depth, out_depth):
    kernel = tf.Variable(tf.truncated_normal([3, 3, in_depth, out_depth], stddev=0.1))
    layer = tf.nn.relu(tf.nn.conv2d(data, kernel, [1, 1, 1, 1], padding="SAME"))
    return tf.nn.max_pool(layer, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")


# VGG16's five blocks, one convolution each; its first dense layer is sized for 224 x 224 images
w_fc1 = tf.Variable(tf.truncated_normal([7 * 7 * 512, 4096], stddev=0.01))
w_fc2 = tf.Variable(tf.truncated_normal([4096, num_labels], stddev=0.01))

tf_train_dataset = tf.placeholder(tf.float32, shape=(batch_size, image_width, image_height, image_depth))
tf_train_labels = tf.placeholder(tf.float32, shape=(batch_size, num_labels))
net = conv_block(tf_train_dataset, image_depth, 8)
net = conv_block(net, 8, 16)
net = conv_block(net, 16, 32)
net = conv_block(net, 32, 64)
net = conv_block(net, 64, 512)
shape = net.get_shape().as_list()
flat = tf.reshape(net, [shape[0], shape[1] * shape[2] * shape[3]])
fc1 = tf.nn.relu(tf.matmul(flat, w_fc1))
logits = tf.matmul(fc1, w_fc2)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(logits=logits, labels=tf_train_labels))
optimizer = tf.train.AdamOptimizer(1e-4).minimize(loss)

with tf.Session() as session:
    tf.global_variables_initializer().run()
    feed_dict = {tf_train_dataset: np.zeros((batch_size, image_width, image_height, image_depth)),
                 tf_train_labels: np.eye(num_labels)[:batch_size]}
    session.run(optimizer, feed_dict=feed_dict)
