from tensorflow import keras
from tensorflow.keras import layers


def inverted_residual(x, expansion, filters, stride):
    channels = x.shape[-1]
    y = layers.Conv2D(channels * expansion, 1, padding="same", use_bias=False)(x)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU(6.0)(y)
    y = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    y = layers.ReLU(6.0)(y)
    y = layers.Conv2D(filters, 1, padding="same", use_bias=False)(y)
    y = layers.BatchNormalization()(y)
    if stride == 1 and channels == filters:
        y = layers.Add()([x, y])
    return y


inputs = keras.Input(shape=(96, 96, 3))
x = layers.Rescaling(1.0 / 127.5, offset=-1)(inputs)
x = layers.Conv2D(16, 3, strides=2, padding="same")(x)
x = inverted_residual(x, 1, 16, 1)
x = inverted_residual(x, 6, 24, 2)
x = inverted_residual(x, 6, 24, 1)
x = layers.SeparableConv2D(32, 3, padding="same")(x)
x = layers.GlobalAveragePooling2D(keepdims=True)(x)
x = layers.Conv2D(5, 1)(x)
x = layers.Flatten()(x)
model = keras.Model(inputs, x)
