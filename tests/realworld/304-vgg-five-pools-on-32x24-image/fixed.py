# source: https://github.com/marco-c/autowebcompat/issues/179 — VGG16 inconsistent input shape
# written-for: keras 2.1 (tensorflow 1.x backend)
# runs-with: keras3
# expect: nothing

from keras.models import Sequential
from keras.layers import Conv2D, MaxPooling2D, Flatten, Dense

screenshot_shape = (224, 224, 3)

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
