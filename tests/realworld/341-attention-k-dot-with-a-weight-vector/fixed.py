# source: https://github.com/keras-team/keras/issues/4962 — How to add Attention on top of a Recurrent Layer (Text Classification)
# written-for: keras 1.2 / tensorflow 0.12
# runs-with: tf-keras
# expect: nothing
import numpy as np
from keras import backend as K
from keras.layers import Layer, Embedding, LSTM, Dense
from keras.models import Sequential

STEPS = 40
VOCABULARY = 200


class Attention(Layer):
    def __init__(self, **kwargs):
        self.supports_masking = True
        super(Attention, self).__init__(**kwargs)

    def build(self, input_shape):
        self.W = self.add_weight(name="att_W", shape=(input_shape[-1],), initializer="glorot_uniform")
        self.b = self.add_weight(name="att_b", shape=(input_shape[1],), initializer="zeros")
        super(Attention, self).build(input_shape)

    def call(self, x, mask=None):
        eij = K.squeeze(K.dot(x, K.expand_dims(self.W)), axis=-1)  # (features, 1): a score per step
        eij = K.tanh(eij + self.b)
        a = K.exp(eij)
        a /= K.sum(a, axis=1, keepdims=True) + K.epsilon()
        return K.sum(x * K.expand_dims(a), axis=1)

    def compute_mask(self, inputs, mask=None):
        return None

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])


model = Sequential()
model.add(Embedding(VOCABULARY, 16, input_length=STEPS))
model.add(LSTM(32, return_sequences=True))
model.add(Attention())
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam")

x = np.random.randint(0, VOCABULARY, size=(8, STEPS))
y = np.random.randint(0, 2, size=(8, 1))
model.fit(x, y, epochs=1, batch_size=4, verbose=0)
