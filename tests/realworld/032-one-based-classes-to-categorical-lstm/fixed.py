# source: https://whosebug.com/question/3634840/Keras-Dense-Layer-Output-Shape-Error — Keras Dense Layer Output - Shape Error
# written-for: keras 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense
from keras.utils import to_categorical

tokens = np.random.randint(0, 100, size=(32, 12))
classes = np.random.randint(1, 4, size=(32,))
y_train = to_categorical(classes - 1, num_classes=3)

model = Sequential()
model.add(Embedding(100, 16))
model.add(LSTM(8))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(tokens, y_train, epochs=1)
