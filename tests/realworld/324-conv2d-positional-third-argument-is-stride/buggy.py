# source: https://whosebug.com/question/5683568/Keras-Why-the-output-size-of-a-Conv2D-layer-doesn-t-match-the-expected-shape-of-feature-map — Keras: Why the output size of a Conv2D layer doesn't match the expected shape of feature map?
# written-for: keras 2.4
# runs-with: keras3
# kind: other
# expect: CNN016 @ 17
# raised-by: silent: Keras 2.4+ and Keras 3 read `Conv2D(32, 3, 3)` as kernel 3 with stride 3, so the first map is 9x9 instead of the 26x26 the asker expected (Keras 2.0-2.3 converted it to a 3x3 kernel with a warning, keras/legacy/interfaces.py conv2d_args_preprocessor)
# missed-pinned: under Keras 2.4 and later `Conv2D(32, 3, 3)` is the current spelling of kernel 3 with stride 3 (a valid model); only the asker's expectation of a 26x26 map says otherwise, so no finding can be certain for that target

import numpy as np
from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Dropout, Flatten, Dense

digits = np.random.rand(200, 28, 28, 1)
digit_labels = np.eye(10)[np.random.randint(0, 10, size=(200,))]

model = Sequential()
model.add(Conv2D(32, 3, 3, activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Dropout(0.2))
model.add(Flatten())
model.add(Dense(256, activation="relu"))
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(digits, digit_labels, batch_size=200, epochs=1, verbose=0)
