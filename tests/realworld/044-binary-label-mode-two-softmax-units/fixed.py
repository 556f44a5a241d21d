# source: http://www.kouhan.cn/en/article/00027281 — Resolving Shape Incompatibility Errors in TensorFlow/Keras: From Binary Classification Model Construction to Loss Function Selection
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# expect: nothing

import tensorflow as tf
from tensorflow.keras import layers

train_ds = tf.keras.utils.image_dataset_from_directory("data/binary", label_mode="binary", image_size=(48, 48),
                                                       batch_size=2)
model = tf.keras.Sequential([
    layers.Input((48, 48, 3)),
    layers.Rescaling(1. / 255),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(train_ds, epochs=1)
