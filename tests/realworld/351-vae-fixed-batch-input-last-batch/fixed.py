# source: https://github.com/keras-team/keras/issues/7719 — ValueError: Cannot feed value of shape (8, 218) for Tensor u'input_1:0', which has shape '(100, 218)'
# written-for: keras 2.0.8 / tensorflow 1.3
# runs-with: none
# expect: nothing
import numpy as np
from keras import backend as K
from keras import metrics
from keras.layers import Dense, Input, Lambda
from keras.models import Model

batch_size = 100
original_dim = 218
latent_dim = 2
intermediate_dim = 64
epochs = 1

x_train = np.random.rand(150808, original_dim).astype("float32")
x_test = np.random.rand(41016, original_dim).astype("float32")

x = Input(shape=(original_dim,))
h = Dense(intermediate_dim, activation="relu")(x)
z_mean = Dense(latent_dim)(h)
z_log_var = Dense(latent_dim)(h)


def sampling(args):
    mean, log_var = args
    epsilon = K.random_normal(shape=(K.shape(mean)[0], latent_dim), mean=0.0, stddev=1.0)
    return mean + K.exp(log_var / 2) * epsilon


z = Lambda(sampling, output_shape=(latent_dim,))([z_mean, z_log_var])
decoded = Dense(original_dim, activation="sigmoid")(Dense(intermediate_dim, activation="relu")(z))


def vae_loss(inputs, outputs):
    reconstruction = original_dim * metrics.binary_crossentropy(inputs, outputs)
    kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
    return reconstruction + kl


vae = Model(x, decoded)
vae.compile(optimizer="rmsprop", loss=vae_loss)
vae.fit(x_train, x_train, shuffle=True, epochs=epochs, batch_size=batch_size, validation_data=(x_test, x_test))
