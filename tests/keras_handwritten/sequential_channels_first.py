from tensorflow.keras.layers import BatchNormalization, Conv2D, Dense, Flatten, MaxPooling2D, ZeroPadding2D
from tensorflow.keras.models import Sequential

model = Sequential()
model.add(ZeroPadding2D(1, data_format="channels_first", input_shape=(3, 32, 32)))
model.add(Conv2D(32, (3, 3), data_format="channels_first", activation="relu"))
model.add(BatchNormalization(axis=1))
model.add(MaxPooling2D((2, 2), data_format="channels_first"))
model.add(Conv2D(64, (3, 3), padding="same", data_format="channels_first"))
model.add(Flatten(data_format="channels_first"))
model.add(Dense(10, activation="softmax"))
