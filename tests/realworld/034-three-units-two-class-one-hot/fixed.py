# source: https://taourl.com/read-2175576.html — ValueError: 'logits' and 'labels' must have the same shape, received ((None, 3) vs (None, 2))
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# expect: nothing

import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Conv2D, Flatten

X_train = tf.random.normal((100, 32, 32, 3))
y_train = tf.one_hot(tf.random.uniform((100,), maxval=2, dtype=tf.int32), depth=2)

model = Sequential([
    Conv2D(8, (3, 3), activation="relu", input_shape=(32, 32, 3)),
    Flatten(),
    Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X_train, y_train, epochs=1)
