# source: https://github.com/llSourcell/deep_dream_challenge/issues/5 — input and filter must have the same depth: 4 vs 3
# written-for: tensorflow 0.12
# runs-with: tf1
# expect: CNN003 @ 23
# error: input depth must be evenly divisible by filter depth: 4 vs 3
# raised-by: tensorflow/core/kernels/conv_ops.cc (tensorflow 0.12) `input and filter must have the same depth: 4 vs 3`; TF 2.21 says "input depth must be evenly divisible by filter depth: 4 vs 3"
# missed: `t_input = tf.placeholder(np.float32, name="input")` has no static shape; the (48, 64, 4) array that np.float32(Image.open(...)) makes of the RGBA PNG is fed at sess.run, but fed values are not carried into the graph, so the conv2d input's 4 channels against the kernel's 3 are not seen
# kind: images
import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
from PIL import Image

# the picture to dream on is a PNG with an alpha channel (written here as a stand-in)
Image.new("RGBA", (64, 48), (120, 60, 30, 255)).save("pilatus.png")

# stand-in for the Inception GraphDef: its first convolution takes RGB input
t_input = tf.placeholder(np.float32, name="input")
imagenet_mean = 117.0
t_preprocessed = tf.expand_dims(t_input - imagenet_mean, 0)
conv2d0_w = tf.constant(np.random.rand(7, 7, 3, 64).astype(np.float32))
conv2d0 = tf.nn.relu(tf.nn.conv2d(t_preprocessed, conv2d0_w, strides=[1, 2, 2, 1], padding="SAME"))
t_score = tf.reduce_mean(conv2d0)
t_grad = tf.gradients(t_score, t_input)[0]

img0 = Image.open("pilatus.png")
img0 = np.float32(img0)
with tf.Session() as sess:
    g, score = sess.run([t_grad, t_score], {t_input: img0})
