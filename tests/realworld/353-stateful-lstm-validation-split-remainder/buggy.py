# source: https://github.com/keras-team/keras/issues/10445 — ValueError: Cannot feed value of shape , Using Stateful LSTM
# written-for: keras 2.1
# runs-with: tf-keras
# kind: loops
# expect: CNN012 @ 25
# error: Incompatible shapes
import numpy as np
from tensorflow.keras.layers import LSTM, Activation, Dense, Dropout
from tensorflow.keras.models import Sequential

windows = np.random.rand(1007, 5, 7).astype("float32")
classes = np.eye(2, dtype="float32")[np.random.randint(0, 2, size=1007)]

model = Sequential()
model.add(LSTM(128, batch_input_shape=(5, 5, 7), return_sequences=True, stateful=True))
model.add(Activation("relu"))
model.add(Dropout(0.2))
model.add(LSTM(32, stateful=True))
model.add(Activation("relu"))
model.add(Dense(2))
model.add(Activation("softmax"))
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

for epoch in range(1):
    model.fit(windows, classes, batch_size=5, epochs=1, validation_split=0.2, shuffle=False)
    model.reset_states()
