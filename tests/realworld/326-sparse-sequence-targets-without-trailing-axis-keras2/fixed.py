# source: https://github.com/keras-team/keras/issues/11252 — ValueError: Error when checking target: expected lstm_6 to have 3 dimensions, but got array with shape (9, 15)
# written-for: keras 2.2.4
# runs-with: none
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM

vocab_size, embedding_dim, max_sequence_length = 300, 50, 15
embedding_matrix = np.random.rand(vocab_size, embedding_dim)
questions = np.random.randint(0, vocab_size, size=(9, max_sequence_length))
answers = np.random.randint(0, vocab_size, size=(9, max_sequence_length))
answers = answers.reshape(9, max_sequence_length, 1)

model = Sequential()
model.add(Embedding(vocab_size, embedding_dim, input_shape=(max_sequence_length,), weights=[embedding_matrix], trainable=False))
model.add(LSTM(300, return_sequences=True))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(questions, answers, epochs=1, verbose=0, validation_split=0.3)
