# source: http://zijiebao.com/jishu/1003414.html — ValueError: Error when checking : expected input_1 to have 4 dimensions, but got array with shape (50, 50, 3)
# written-for: keras 2.x
# runs-with: keras3
# kind: numpy
# expect: CNN012 @ 19
# error: expected shape=(None, 50, 50, 3), found shape=(32, 50, 3)
# raised-by: keras/engine/training_utils.py, standardize_input_data (keras 2.x; training.py _standardize_input_data before 2.2): `Error when checking input: expected ... to have N dimensions / shape ...`; here Keras 3 / tf-keras raise at the model's input instead

import numpy as np
from keras.layers import Input, Conv2D, Flatten, Dense
from keras.models import Model

inputs = Input(shape=(50, 50, 3))
h = Conv2D(4, (3, 3), activation="relu")(inputs)
outputs = Dense(2, activation="softmax")(Flatten()(h))
model = Model(inputs, outputs)

input_data = np.random.rand(50, 50, 3)
print(model.predict(input_data))
