# source: https://github.com/keras-team/keras/issues/19964 — ValueError: A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 88, 88, 128), (None, 89, 89, 128)]
# written-for: keras 3 (tensorflow 2.16)
# runs-with: keras3
# expect: nothing

import tensorflow as tf


def unet(n_levels, initial_features=8, n_blocks=2, kernel_size=3, pooling_size=2, in_channels=1, out_channels=1):
    inputs = tf.keras.layers.Input(shape=(256, 256, in_channels))
    x = inputs
    convpars = dict(kernel_size=kernel_size, activation="relu", padding="same")
    skips = {}
    for level in range(n_levels):
        for _ in range(n_blocks):
            x = tf.keras.layers.Conv2D(initial_features * 2 ** level, **convpars)(x)
        if level < n_levels - 1:
            skips[level] = x
            x = tf.keras.layers.MaxPool2D(pooling_size)(x)
    for level in reversed(range(n_levels - 1)):
        x = tf.keras.layers.Conv2DTranspose(initial_features * 2 ** level, strides=pooling_size, **convpars)(x)
        x = tf.keras.layers.Concatenate()([x, skips[level]])
        for _ in range(n_blocks):
            x = tf.keras.layers.Conv2D(initial_features * 2 ** level, **convpars)(x)
    activation = "sigmoid" if out_channels == 1 else "softmax"
    outputs = tf.keras.layers.Conv2D(out_channels, kernel_size=1, activation=activation)(x)
    return tf.keras.Model(inputs=[inputs], outputs=[outputs])


model = unet(4)
model.compile(optimizer="adam", loss="binary_crossentropy")
