# source: https://github.com/keras-team/keras/issues/11252 — ValueError: Error when checking target: expected lstm_6 to have 3 dimensions, but got array with shape (9, 15)
# written-for: keras 2.2.4
# runs-with: none
# kind: numpy
# expect: CNN013 @ 23
# raised-by: keras/engine/training.py _standardize_user_data (keras 2.2.4) checks sparse_categorical_crossentropy targets against `output_shape[:-1] + (1,)`, and keras/engine/training_utils.py standardize_input_data (`if data[i].ndim != len(shape): raise ValueError(`) refuses the (9, 15) ids for the (None, 15, 300) output: `expected lstm_6 to have 3 dimensions, but got array with shape (9, 15)`; tf-keras 2.21 and Keras 3 accept integer targets of the output's rank minus one and train
# missed: not a fault for the default Keras 3 target (nor tf-keras): both accept (n, 15) integer targets against a (None, 15, 300) output, so nothing is reported unpinned
# expect-pinned: CNN013 @ 23

import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM

vocab_size, embedding_dim, max_sequence_length = 300, 50, 15
embedding_matrix = np.random.rand(vocab_size, embedding_dim)
questions = np.random.randint(0, vocab_size, size=(9, max_sequence_length))
answers = np.random.randint(0, vocab_size, size=(9, max_sequence_length))

model = Sequential()
model.add(Embedding(vocab_size, embedding_dim, input_shape=(max_sequence_length,), weights=[embedding_matrix], trainable=False))
model.add(LSTM(300, return_sequences=True))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(questions, answers, epochs=1, verbose=0, validation_split=0.3)
