# source: https://github.com/XifengGuo/CapsNet-Keras/issues/30 — if dim_capsule != 16 for CapsuleLayer an error appears when training
# written-for: keras 2.1 / tensorflow 1.4
# runs-with: tf-keras
# expect: nothing
import numpy as np
import tensorflow as tf
from keras import backend as K
from keras import layers, models

N_CLASS = 10
DIM_CAPSULE = 17  # changed from 16


def squash(vectors, axis=-1):
    norm = K.sum(K.square(vectors), axis, keepdims=True)
    return norm / (1 + norm) / K.sqrt(norm + K.epsilon()) * vectors


class CapsuleLayer(layers.Layer):
    def __init__(self, num_capsule, dim_capsule, routings=3, **kwargs):
        super(CapsuleLayer, self).__init__(**kwargs)
        self.num_capsule = num_capsule
        self.dim_capsule = dim_capsule
        self.routings = routings

    def build(self, input_shape):
        self.input_num_capsule = input_shape[1]
        self.input_dim_capsule = input_shape[2]
        self.W = self.add_weight(shape=[self.num_capsule, self.input_num_capsule,
                                        self.dim_capsule, self.input_dim_capsule],
                                 initializer="glorot_uniform", name="W")
        self.built = True

    def call(self, inputs, training=None):
        # every input capsule's prediction for every output capsule: (batch, out, in, dim)
        inputs_hat = tf.einsum("bij,kidj->bkid", inputs, self.W)
        logits = tf.zeros_like(inputs_hat[..., 0])
        for i in range(self.routings):
            c = tf.nn.softmax(logits, axis=1)
            outputs = squash(tf.einsum("bki,bkid->bkd", c, inputs_hat))
            if i < self.routings - 1:
                logits += tf.einsum("bkd,bkid->bki", outputs, inputs_hat)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple([None, self.num_capsule, self.dim_capsule])


class Length(layers.Layer):
    def call(self, inputs, **kwargs):
        return K.sqrt(K.sum(K.square(inputs), -1))

    def compute_output_shape(self, input_shape):
        return input_shape[:-1]


class Mask(layers.Layer):
    def call(self, inputs, **kwargs):
        capsules, mask = inputs
        return K.batch_flatten(capsules * K.expand_dims(mask, -1))

    def compute_output_shape(self, input_shape):
        return tuple([None, input_shape[0][1] * input_shape[0][2]])


def margin_loss(y_true, y_pred):
    loss = y_true * K.square(K.maximum(0., 0.9 - y_pred)) + \
        0.5 * (1 - y_true) * K.square(K.maximum(0., y_pred - 0.1))
    return K.mean(K.sum(loss, 1))


x = layers.Input(shape=(28, 28, 1))
conv1 = layers.Conv2D(64, 9, activation="relu")(x)
primary = layers.Conv2D(8 * 8, 9, strides=2)(conv1)
primary = layers.Reshape(target_shape=[-1, 8])(primary)
primary = layers.Lambda(squash)(primary)
digitcaps = CapsuleLayer(num_capsule=N_CLASS, dim_capsule=DIM_CAPSULE, name="digitcaps")(primary)
out_caps = Length(name="capsnet")(digitcaps)

y = layers.Input(shape=(N_CLASS,))
masked_by_y = Mask()([digitcaps, y])

decoder = models.Sequential(name="decoder")
decoder.add(layers.Dense(512, activation="relu", input_dim=DIM_CAPSULE * N_CLASS))
decoder.add(layers.Dense(784, activation="sigmoid"))
decoder.add(layers.Reshape(target_shape=(28, 28, 1)))

model = models.Model([x, y], [out_caps, decoder(masked_by_y)])
model.compile(optimizer="adam", loss=[margin_loss, "mse"], loss_weights=[1., 0.392])

images = np.random.rand(4, 28, 28, 1).astype("float32")
labels = np.eye(N_CLASS)[np.random.randint(0, N_CLASS, size=4)]
model.fit([images, labels], [labels, images], batch_size=2, epochs=1, verbose=0)
