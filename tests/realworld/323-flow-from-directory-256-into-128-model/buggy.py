# source: https://github.com/keras-team/keras/issues/19367 — Input 0 of layer "dense_2" is incompatible with the layer: expected axis -1 of input shape to have value 16384, but received input with shape (None, 65536)
# written-for: keras 3 (tensorflow 2.16)
# runs-with: tf-keras
# kind: generators
# expect: CNN012 @ 26
# error: Matrix size-incompatible
# raised-by: keras 3.1 (keras/src/layers/input_spec.py assert_input_compatibility): `Input 0 of layer "dense_2" is incompatible with the layer: expected axis -1 of input shape to have value 16384, but received input with shape (None, 65536)`; the installed Keras 3 no longer has ImageDataGenerator, so the program runs on tf-keras, which rebuilds the Sequential for the 256x256 batches and fails in the Dense matmul

from keras.layers import Dense, Conv2D, MaxPool2D, Flatten
from keras.models import Sequential
from tensorflow.keras.preprocessing.image import ImageDataGenerator

pictures = ImageDataGenerator(rescale=1.0 / 255)
training_set = pictures.flow_from_directory("data/train", target_size=(256, 256), batch_size=2, class_mode="categorical")
validation_set = pictures.flow_from_directory("data/validation", target_size=(256, 256), batch_size=2, class_mode="categorical")

model = Sequential()
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(128, 128, 3)))
model.add(MaxPool2D(pool_size=(2, 2)))
model.add(Conv2D(8, (3, 3), activation="relu", input_shape=(128, 128, 3)))
model.add(MaxPool2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(16, activation="relu"))
model.add(Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(x=training_set, validation_data=validation_set, epochs=1, verbose=0)
