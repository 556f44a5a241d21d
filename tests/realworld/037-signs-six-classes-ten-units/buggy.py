# source: https://github.com/keras-team/keras/issues/12910 — hey iam tying to make neural network using keras with loss function of categorical_crossentropy iam giving labels as(1080,6)but error occoured
# written-for: tensorflow 1.13 (tf.keras)
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 18
# error: Received: target.shape=(None, 6), output.shape=(None, 10)
# raised-by: tensorflow/python/keras/engine/training_utils.py, check_loss_and_target_compatibility (tf 1.13): `A target array with shape (1080, 6) was passed for an output of shape (None, 10)`; here Keras 3's loss raises instead

import numpy as np
import tensorflow as tf

train_x = np.random.rand(1080, 64, 64, 3)
train_y_2 = np.eye(6)[np.random.randint(0, 6, size=(1080,))]

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(64, 64, 3)),
    tf.keras.layers.Dense(32, activation=tf.nn.relu),
    tf.keras.layers.Dense(10, activation=tf.nn.softmax),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(train_x, train_y_2, epochs=1)
