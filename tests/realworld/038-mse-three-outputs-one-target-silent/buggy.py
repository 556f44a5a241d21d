# source: https://github.com/tensorflow/tensorflow/issues/45813 — Shape of model output can differ from target data shape
# written-for: tensorflow 2.3
# runs-with: keras3
# kind: labels
# expect: CNN015 @ 20
# was-missed: pandas `DataFrame.pop` is not modelled; Keras turns the (64,) Series into (64, 1) labels (keras/src/trainers/data_adapters/array_slicing.py, PandasSeriesSliceable.convert_to_numpy expands a Series), which mean_absolute_error broadcasts against the (None, 3) output without an error (CNN015)

import numpy as np
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers

columns = ["MPG", "Cylinders", "Displacement", "Horsepower", "Weight", "Acceleration", "Model Year"]
dataset = pd.DataFrame(np.random.rand(64, 7), columns=columns)
train_features = dataset.copy()
train_labels = train_features.pop("MPG")

model = keras.Sequential([
    layers.Dense(64, activation="relu", input_shape=(6,)),
    layers.Dense(units=3),
])
model.compile(loss="mean_absolute_error", optimizer="adam")
model.fit(train_features, train_labels, epochs=1, verbose=0)
