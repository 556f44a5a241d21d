# source: https://github.com/nejyeah/DeepPicker-python/issues/3 — shape of model_input_size issues
# written-for: tensorflow 1.x
# runs-with: tf1
# kind: loops
# expect: CNN014 @ 52
# error: Cannot feed value of shape (74, 64, 64, 1)
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()

batch_size = 100
side = 64

# A small particle set: the training batches are drawn with replacement, the evaluation
# walks the 74 held-out particles in batches of the placeholder's fixed size.
train_particles = np.random.rand(300, side, side, 1).astype(np.float32)
train_labels = np.random.randint(0, 2, size=(300,))
held_out = np.random.rand(74, side, side, 1).astype(np.float32)

train_node = tf.placeholder(tf.float32, shape=(batch_size, side, side, 1))
label_node = tf.placeholder(tf.int64, shape=(batch_size,))
eval_node = tf.placeholder(tf.float32, shape=(batch_size, side, side, 1))

kernel = tf.Variable(tf.truncated_normal([9, 9, 1, 8], stddev=0.05))
dense_w = tf.Variable(tf.truncated_normal([28 * 28 * 8, 2], stddev=0.05))


def inference(images):
    conv = tf.nn.relu(tf.nn.conv2d(images, kernel, strides=[1, 1, 1, 1], padding="VALID"))
    pooled = tf.nn.max_pool(conv, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    flat = tf.reshape(pooled, [batch_size, -1])
    return tf.matmul(flat, dense_w)


loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=label_node,
                                                                      logits=inference(train_node)))
train_op = tf.train.MomentumOptimizer(0.01, 0.9).minimize(loss)
eval_probs = tf.nn.softmax(inference(eval_node))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    picks = np.random.randint(0, len(train_particles), size=batch_size)
    sess.run(train_op, feed_dict={train_node: train_particles[picks], label_node: train_labels[picks]})
    scores = np.zeros((len(held_out), 2), dtype=np.float32)
    for begin in range(0, len(held_out), batch_size):
        end = begin + batch_size
        if end <= len(held_out):
            scores[begin:end] = sess.run(eval_probs, feed_dict={eval_node: held_out[begin:end]})
        else:
            # the last, short batch: the last `batch_size` particles, fewer when there are fewer
            tail = sess.run(eval_probs, feed_dict={eval_node: held_out[-batch_size:]})
            scores[begin:] = tail[begin - len(held_out):]
    print(scores.shape)
