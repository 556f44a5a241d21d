# source: https://github.com/keras-team/keras/issues/7403 — Input 0 is incompatible with layer lstm_1: expected ndim=3, found ndim=4
# written-for: keras 2.0
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed

data_dim = 30
timesteps = 40
words_per_text = 12
out_vec_size = 62
num_hidden_neurons_char_layer = timesteps
num_hidden_neurons_word_layer = out_vec_size

texts = np.random.rand(16, words_per_text, timesteps, data_dim)
vectors = np.random.rand(16, out_vec_size)

model = Sequential()
model.add(TimeDistributed(LSTM(num_hidden_neurons_char_layer, return_sequences=False), input_shape=(words_per_text, timesteps, data_dim)))
model.add(LSTM(num_hidden_neurons_word_layer))
model.add(Dense(out_vec_size, activation="tanh"))
model.compile(loss="mse", optimizer="adam")
model.fit(texts, vectors, epochs=1, verbose=0)
