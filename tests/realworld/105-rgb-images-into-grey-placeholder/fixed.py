# source: https://github.com/tensorflow/tensorflow/issues/5751 — failed sess.run error "Cannot feed value of shape (50, 2352) for Tensor 'Placeholder:0', which has shape '(?, 784)'"
# written-for: tensorflow 0.11
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

NUM_CLASSES = 5
IMAGE_SIZE = 28
IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE * 3

# stand-in for the cv2.imread + cv2.resize loop over a file list: colour images come back (28, 28, 3)
train_image = []
train_label = []
for n in range(100):
    img = np.random.rand(IMAGE_SIZE, IMAGE_SIZE, 3)
    train_image.append(img.flatten().astype(np.float32))
    onehot = np.zeros(NUM_CLASSES)
    onehot[n % NUM_CLASSES] = 1
    train_label.append(onehot)
train_image = np.asarray(train_image)
train_label = np.asarray(train_label)

images_placeholder = tf.placeholder(tf.float32, shape=(None, IMAGE_PIXELS))
labels_placeholder = tf.placeholder(tf.float32, shape=(None, NUM_CLASSES))
x_image = tf.reshape(images_placeholder, [-1, IMAGE_SIZE, IMAGE_SIZE, 3])
W_conv = tf.Variable(tf.truncated_normal([5, 5, 3, 8], stddev=0.1))
h_conv = tf.nn.relu(tf.nn.conv2d(x_image, W_conv, strides=[1, 1, 1, 1], padding="SAME"))
h_pool = tf.nn.max_pool(h_conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
h_flat = tf.reshape(h_pool, [-1, 14 * 14 * 8])
W_fc = tf.Variable(tf.truncated_normal([14 * 14 * 8, NUM_CLASSES], stddev=0.1))
logits = tf.matmul(h_flat, W_fc)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels_placeholder, logits=logits))
train_op = tf.train.AdamOptimizer(1e-4).minimize(loss)

batch_size = 50
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(len(train_image) // batch_size):
        batch = batch_size * i
        sess.run(train_op, feed_dict={images_placeholder: train_image[batch:batch + batch_size],
                                      labels_placeholder: train_label[batch:batch + batch_size]})
