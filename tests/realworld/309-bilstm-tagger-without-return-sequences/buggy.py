# source: https://github.com/keras-team/keras/issues/9233 — Error when checking target: expected dense_10 to have 2 dimensions, but got array with shape (2560, 69, 3)
# written-for: keras 2.1
# runs-with: tf-keras
# kind: numpy
# expect: CNN013 @ 20
# error: are incompatible
# raised-by: keras/engine/training.py _standardize_input_data (keras 2.1.3): `Error when checking target: expected dense_10 to have 2 dimensions, but got array with shape (2560, 69, 3)`; tf-keras 2.21 raises in the loss instead

import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, Bidirectional, LSTM, Dense

vocab_size, embedding_dim, max_len = 500, 50, 69
embedding_matrix = np.random.rand(vocab_size + 1, embedding_dim)
token_ids = np.random.randint(0, vocab_size, size=(64, max_len))
tags = np.eye(3)[np.random.randint(0, 3, size=(64, max_len))]

tagger = Sequential([
    Embedding(vocab_size + 1, embedding_dim, weights=[embedding_matrix], input_length=max_len, trainable=False),
    Bidirectional(LSTM(150, activation="relu")),
    Dense(150, activation="relu"),
    Dense(max_len, activation="sigmoid"),
])
tagger.compile(loss="categorical_crossentropy", optimizer="adam")
tagger.fit(token_ids, tags, epochs=1, verbose=0)
