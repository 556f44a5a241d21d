# source: https://github.com/keras-team/keras/issues/9448 — i don't know what I am doing wrong ;(
# written-for: keras 2.1 (tensorflow backend)
# runs-with: keras3
# expect: nothing

import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import LSTM, Dense, Dropout

names = ["feature%d" % i for i in range(21)] + ["target"]
training_data = pd.DataFrame(np.random.rand(512, 22), columns=names)
features = [f for f in list(training_data) if "feature" in f]
X = training_data[features].values.reshape(-1, 1, 21)
Y = training_data["target"]

model = Sequential()
model.add(LSTM(50, input_shape=(None, 21), return_sequences=True))
model.add(Dropout(0.2))
model.add(LSTM(100))
model.add(Dense(1))
model.compile(loss="mse", optimizer="rmsprop")
model.fit(X, Y, batch_size=512, epochs=1, validation_split=0.05)
