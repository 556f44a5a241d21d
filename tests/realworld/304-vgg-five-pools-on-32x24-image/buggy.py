# source: https://github.com/marco-c/autowebcompat/issues/179 — VGG16 inconsistent input shape
# written-for: keras 2.1 (tensorflow 1.x backend)
# runs-with: keras3
# kind: other
# expect: CNN005 @ 24
# error: Computed output size would be zero or negative
# raised-by: keras 2.1 on TensorFlow 1.x: `Negative dimension size caused by subtracting 2 from 1 for 'max_pooling2d_5/MaxPool' (op: 'MaxPool') with input shapes: [?,2,1,512]`; Keras 3 raises in keras/src/ops/operation_utils.py compute_pooling_output_shape

from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

screenshot_shape = (32, 24, 3)

vgg = Sequential()
vgg.add(Conv2D(64, (3, 3), activation="relu", padding="same", input_shape=screenshot_shape))
vgg.add(MaxPooling2D((2, 2), strides=(2, 2)))
vgg.add(Conv2D(128, (3, 3), activation="relu", padding="same"))
vgg.add(MaxPooling2D((2, 2), strides=(2, 2)))
vgg.add(Conv2D(256, (3, 3), activation="relu", padding="same"))
vgg.add(MaxPooling2D((2, 2), strides=(2, 2)))
vgg.add(Conv2D(512, (3, 3), activation="relu", padding="same"))
vgg.add(MaxPooling2D((2, 2), strides=(2, 2)))
vgg.add(Conv2D(512, (3, 3), activation="relu", padding="same"))
vgg.add(MaxPooling2D((2, 2), strides=(2, 2)))
vgg.add(Flatten())
vgg.add(Dense(2, activation="softmax"))
vgg.compile(optimizer="sgd", loss="categorical_crossentropy")
