# source: https://github.com/keras-team/keras/issues/3945 — Keras MaxPooling2D gives ValueError: Negative dimension size caused by subtracting 2 from 1 for 'MaxPool_x'
# written-for: keras 1.1 (tensorflow backend, image_dim_ordering "tf")
# runs-with: none
# kind: other
# expect: CNN007 @ 17
# expect: CNN007 @ 19
# expect: CNN007 @ 22
# expect: CNN005 @ 23
# raised-by: keras/backend/tensorflow_backend.py pool2d (keras 1.2.2: `x = tf.nn.max_pool(x, pool_size, strides, padding=padding)`), whose TensorFlow shape function raises `Negative dimension size caused by subtracting 2 from 1`: with dim_ordering "tf" (the default from Keras 1.1) input_shape=(3, 224, 224) is 3 rows of 224 columns with 224 channels
# expect-pinned: CNN005 @ 23

from keras.models import Sequential
from keras.layers import ZeroPadding2D, Convolution2D, MaxPooling2D, Flatten, Dense

net = Sequential()
net.add(ZeroPadding2D((1, 1), input_shape=(3, 224, 224)))
net.add(Convolution2D(64, 3, 3, activation="relu"))
net.add(ZeroPadding2D((1, 1)))
net.add(Convolution2D(64, 3, 3, activation="relu"))
net.add(MaxPooling2D((2, 2), strides=(2, 2)))
net.add(ZeroPadding2D((1, 1)))
net.add(Convolution2D(128, 3, 3, activation="relu"))
net.add(MaxPooling2D((2, 2), strides=(2, 2)))
net.add(Flatten())
net.add(Dense(1000, activation="softmax"))
