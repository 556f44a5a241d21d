# source: https://github.com/keras-team/keras/issues/11506 — Problem connecting Flatten() and LSTM()
# written-for: keras 2.2
# runs-with: keras3
# expect: nothing

from keras.models import Sequential
from keras.layers import Conv2D, Activation, Reshape, LSTM, Dense

map_size = 10

agent = Sequential()
agent.add(Conv2D(32, (3, 3), input_shape=(map_size, map_size, 1), strides=(1, 1), padding="same"))
agent.add(Activation("relu"))
agent.add(Reshape((map_size, map_size * 32)))
agent.add(LSTM(100, return_sequences=True, activation="tanh"))
agent.add(Dense(units=300, activation="relu"))
agent.add(Dense(units=5, activation="linear"))
agent.compile(loss="mse", optimizer="adam")
