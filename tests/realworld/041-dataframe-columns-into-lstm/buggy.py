# source: https://github.com/keras-team/keras/issues/9448 — i don't know what I am doing wrong ;(
# written-for: keras 2.1 (tensorflow backend)
# runs-with: keras3
# kind: pandas
# expect: CNN012 @ 27
# error: Expected shape (None, None, 21), but input has incompatible shape (None, 21)
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead
# was-missed: pandas column selection with a list (`training_data[features]`, features from a comprehension over `list(training_data)`) is not modelled: it is a (512, 21) DataFrame, rank 2 against the rank-3 LSTM input

import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import LSTM, Dense, Dropout

names = ["feature%d" % i for i in range(21)] + ["target"]
training_data = pd.DataFrame(np.random.rand(512, 22), columns=names)
features = [f for f in list(training_data) if "feature" in f]
X = training_data[features]
Y = training_data["target"]

model = Sequential()
model.add(LSTM(50, input_shape=(None, 21), return_sequences=True))
model.add(Dropout(0.2))
model.add(LSTM(100))
model.add(Dense(1))
model.compile(loss="mse", optimizer="rmsprop")
model.fit(X, Y, batch_size=512, epochs=1, validation_split=0.05)
