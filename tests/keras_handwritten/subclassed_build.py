import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class ConvBlock(layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.conv = layers.Conv2D(filters, 3, padding="same")
        self.norm = layers.BatchNormalization()
        self.pool = layers.MaxPooling2D()

    def call(self, x):
        return self.pool(tf.nn.relu(self.norm(self.conv(x))))


class Classifier(keras.Model):
    def __init__(self, num_classes=10):
        super().__init__()
        self.blocks = [ConvBlock(32), ConvBlock(64)]
        self.flatten = layers.Flatten()
        self.head = layers.Dense(num_classes)

    def call(self, inputs, training=False):
        x = inputs
        for block in self.blocks:
            x = block(x)
        return self.head(self.flatten(x))


model = Classifier()
logits = model(tf.zeros((2, 28, 28, 1)))
