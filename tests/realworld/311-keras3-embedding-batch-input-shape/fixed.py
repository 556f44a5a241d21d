# source: https://github.com/MITDeepLearning/introtodeeplearning/issues/160 — lab1 part 2 (2.14) is failing with tensorflow 2.16
# written-for: tensorflow 2.16 (tf.keras is Keras 3)
# runs-with: keras3
# expect: nothing

import tensorflow as tf


def build_model(vocab_size, embedding_dim, rnn_units, batch_size):
    model = tf.keras.Sequential([
        tf.keras.Input(batch_shape=(batch_size, None)),
        tf.keras.layers.Embedding(vocab_size, embedding_dim),
        tf.keras.layers.LSTM(rnn_units, return_sequences=True, stateful=True),
        tf.keras.layers.Dense(vocab_size),
    ])
    return model


model = build_model(83, embedding_dim=32, rnn_units=64, batch_size=4)
model.summary()
