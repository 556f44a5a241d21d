# source: http://zijiebao.com/jishu/1003414.html — ValueError: Error when checking : expected input_1 to have 4 dimensions, but got array with shape (50, 50, 3)
# written-for: keras 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from keras.layers import Input, Conv2D, Flatten, Dense
from keras.models import Model

inputs = Input(shape=(50, 50, 3))
h = Conv2D(4, (3, 3), activation="relu")(inputs)
outputs = Dense(2, activation="softmax")(Flatten()(h))
model = Model(inputs, outputs)

input_data = np.random.rand(50, 50, 3)
expanded_data = np.expand_dims(input_data, axis=0)
print(model.predict(expanded_data))
