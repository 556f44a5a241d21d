# source: https://viralsfire.com/post/input-0-of-layer-conv1d-is-incompatible-with-the-layer — Input 0 of layer conv1d is incompatible with the layer: : expected min_ndim=3, found ndim=2. Full shape received: (None, 30)
# written-for: tensorflow 2.x (tf.keras)
# runs-with: keras3
# expect: nothing

import numpy as np
import pandas as pd
from tensorflow.keras.layers import Input, Conv1D, GlobalMaxPooling1D, Dense
from tensorflow.keras.models import Model

flow = pd.DataFrame(np.random.rand(200, 30))
series_input_train = flow.values

series_input = Input(shape=(series_input_train.shape[1], 1), name="series_input")
x = Conv1D(filters=32, kernel_size=5, strides=1, padding="causal", activation="relu")(series_input)
x = GlobalMaxPooling1D()(x)
estimator = Model(series_input, Dense(1)(x))
