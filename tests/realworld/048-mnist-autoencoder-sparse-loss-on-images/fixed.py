# source: https://github.com/keras-team/keras/issues/12062 — AutoEncoder for MNIST Issue when reshaping
# written-for: tensorflow 1.12 (tf.keras)
# runs-with: keras3
# expect: nothing

from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Flatten, Reshape
from keras.datasets import mnist

(x_train, y_train), (x_test, y_test) = mnist.load_data()

model3 = Sequential()
model3.add(Flatten(input_shape=x_train.shape[1:]))
model3.add(Dense(300, activation="relu"))
model3.add(Dense(784, activation="relu"))
model3.add(Reshape((28, 28)))
model3.compile(optimizer="adam", loss="mse")
model3.fit(x_train, x_train, epochs=1, batch_size=50)
