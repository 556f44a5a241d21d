# source: https://github.com/keras-team/keras/issues/19367 — Input 0 of layer "dense_2" is incompatible with the layer: expected axis -1 of input shape to have value 16384, but received input with shape (None, 65536)
# written-for: keras 3 (tensorflow 2.16)
# runs-with: tf-keras
# expect: nothing

from keras.layers import Dense, Conv2D, MaxPool2D, Flatten
from keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator

pictures = ImageDataGenerator(rescale=1.0 / 255)
training_set = pictures.flow_from_directory("data/train", target_size=(256, 256), batch_size=2, class_mode="categorical")
validation_set = pictures.flow_from_directory("data/validation", target_size=(256, 256), batch_size=2, class_mode="categorical")

model = Sequential()
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(256, 256, 3)))
model.add(MaxPool2D(pool_size=(2, 2)))
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(256, 256, 3)))
model.add(MaxPool2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(16, activation="relu"))
model.add(Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x=training_set, validation_data=validation_set, epochs=1, verbose=0)
