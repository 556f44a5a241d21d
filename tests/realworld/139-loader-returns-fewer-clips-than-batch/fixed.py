# source: https://github.com/yfxc/pseudo-3d-tensorflow/issues/2 — Training problem
# written-for: tensorflow 1.x
# runs-with: tf1
# expect: nothing
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

BATCH_SIZE = 12
NUM_FRAMES = 16
CROP_SIZE = 160

# stand-in for the video list: the frame count of each clip folder; two are shorter than 16 frames
video_lengths = [40, 32, 8, 25, 60, 17, 19, 5, 44, 30, 21, 50]


def read_clip_and_label(lengths, batch_size):
    clips, labels = [], []
    for index, length in enumerate(lengths[:batch_size]):
        if length < NUM_FRAMES:
            continue  # too short: skipped
        clips.append(np.random.rand(NUM_FRAMES, CROP_SIZE, CROP_SIZE, 3).astype(np.float32))
        labels.append(index % 5)
    return np.array(clips), np.array(labels)


images_placeholder = tf.placeholder(tf.float32, shape=(None, NUM_FRAMES, CROP_SIZE, CROP_SIZE, 3))
labels_placeholder = tf.placeholder(tf.int64, shape=(None,))
kernel = tf.Variable(tf.truncated_normal([3, 3, 3, 3, 8], stddev=0.1))
features = tf.nn.relu(tf.nn.conv3d(images_placeholder, kernel, strides=[1, 2, 4, 4, 1], padding="SAME"))
pooled = tf.reduce_mean(features, axis=[1, 2, 3])
logits = tf.matmul(pooled, tf.Variable(tf.zeros([8, 5])))
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels_placeholder, logits=logits))
train_op = tf.train.AdamOptimizer(1e-4).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    train_images, train_labels = read_clip_and_label(video_lengths, BATCH_SIZE)
    sess.run(train_op, feed_dict={images_placeholder: train_images,
                                  labels_placeholder: train_labels})
