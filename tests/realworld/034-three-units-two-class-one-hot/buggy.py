# source: https://taourl.com/read-2175576.html — ValueError: 'logits' and 'labels' must have the same shape, received ((None, 3) vs (None, 2))
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 19
# error: Received: target.shape=(None, 2), output.shape=(None, 3)
# raised-by: tensorflow/python/ops/nn_impl.py, sigmoid_cross_entropy_with_logits / tf.keras 2.x: `'logits' and 'labels' must have the same shape`; here Keras 3's loss raises instead

import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Conv2D, Flatten

X_train = tf.random.normal((100, 32, 32, 3))
y_train = tf.one_hot(tf.random.uniform((100,), maxval=2, dtype=tf.int32), depth=2)

model = Sequential([
    Conv2D(8, (3, 3), activation="relu", input_shape=(32, 32, 3)),
    Flatten(),
    Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X_train, y_train, epochs=1)
