# source: https://whosebug.com/question/3634840/Keras-Dense-Layer-Output-Shape-Error — Keras Dense Layer Output - Shape Error
# written-for: keras 2.x
# runs-with: keras3
# kind: labels
# expect: CNN013 @ 24
# error: Arguments `target` and `output` must have the same shape
# raised-by: keras/engine/training_utils.py, standardize_input_data / check_loss_and_target_compatibility (keras 2.x): `Error when checking target: expected ... to have shape ...`; here the loss raises instead
# missed: to_categorical without num_classes makes max(label) + 1 columns, a data value (randint(1, 4) gives 2..4 columns; here 4, never 3 for certain)

import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense
from keras.utils import to_categorical

tokens = np.random.randint(0, 100, size=(32, 12))
classes = np.random.randint(1, 4, size=(32,))
y_train = to_categorical(classes)

model = Sequential()
model.add(Embedding(100, 16))
model.add(LSTM(8))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(tokens, y_train, epochs=1)
