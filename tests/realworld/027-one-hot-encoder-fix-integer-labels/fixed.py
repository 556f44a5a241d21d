# source: https://codehunter.cc/a/python-3.x/error-when-checking-target-expected-dense-3-to-have-shape-3-but-got-array-with-shape-1 — Error when checking target: expected dense_3 to have shape (3,) but got array with shape (1,)
# written-for: keras 2.1
# runs-with: keras3
# expect: nothing

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import OneHotEncoder
from keras.models import Sequential
from keras.layers import Dense

features = np.random.rand(2000, 20)
train_labels = np.random.randint(0, 3, size=(2000,))
X_train, X_test, y_train, y_test = train_test_split(features, train_labels, test_size=0.2)
y_train = OneHotEncoder(sparse_output=False).fit_transform(y_train.reshape(-1, 1))

model = Sequential()
model.add(Dense(32, activation="relu", input_shape=(20,)))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=1, batch_size=200)
