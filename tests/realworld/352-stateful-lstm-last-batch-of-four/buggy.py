# source: https://github.com/keras-team/keras/issues/1902 — Propagating batch shape from Embedding layer to stateful LSTM
# written-for: keras 0.3
# runs-with: tf-keras
# kind: loops
# expect: CNN012 @ 26
# error: Incompatible shapes
import numpy as np
from tensorflow.keras.layers import LSTM, Dense, Dropout, Embedding
from tensorflow.keras.models import Sequential

vocab_size = 20
max_len = 10
n_labels = 5
n_samples = 500
batch_size = 16

words = np.random.randint(0, vocab_size, size=(n_samples, max_len))
tags = np.random.randint(0, 2, size=(n_samples, n_labels)).astype("float32")

model = Sequential()
model.add(Embedding(vocab_size, 100, input_length=max_len, batch_input_shape=(batch_size, max_len)))
model.add(LSTM(300, stateful=True))
model.add(Dropout(0.5))
model.add(Dense(n_labels, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(words, tags, batch_size=batch_size, epochs=1, shuffle=False)
