# source: https://github.com/ShafeenTejani/fast-style-transfer/issues/4 — get a ValueError: Cannot feed value of shape
# written-for: tensorflow 1.2
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

# The content images (the asker's folder held 3k + 1 of them), here tiny and already decoded;
# the network is trained on batches of a fixed size: 1600 = 533 x 3 + 1.
batch_size = 3
side = 8
content_images = np.zeros((1600, side, side, 3), dtype=np.uint8)

input_batch = tf.placeholder(tf.float32, shape=(batch_size, side, side, 3), name="input_batch")
kernel = tf.Variable(tf.truncated_normal([3, 3, 3, 3], stddev=0.1))
stylized = tf.nn.conv2d(input_batch, kernel, strides=[1, 1, 1, 1], padding="SAME")
features = tf.reshape(stylized, (batch_size, side * side, 3))
gram = tf.matmul(features, features, transpose_a=True) / (side * side * 3)
loss = tf.reduce_mean(tf.square(stylized - input_batch)) + tf.reduce_mean(gram)


def load_batch(images):
    return images.astype(np.float32) / 255.0


with tf.Session() as sess:
    train_step = tf.train.AdamOptimizer(1e-3).minimize(loss)
    sess.run(tf.global_variables_initializer())
    iterations = 0
    for epoch in range(1):
        # whole batches only: the last image, which does not fill one, is left out
        for i in range(0, len(content_images) - batch_size + 1, batch_size):
            batch = load_batch(content_images[i:i + batch_size])
            if iterations % 500 == 0:
                print("Iteration %d" % (iterations + 1))
            train_step.run(feed_dict={input_batch: batch})
            iterations += 1
