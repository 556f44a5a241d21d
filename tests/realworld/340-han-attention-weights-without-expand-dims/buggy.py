# source: https://github.com/richliao/textClassifier/issues/37 — Dimensions must be equal, but are 15 and 100 for 'att_layer_2/mul' (op: 'Mul') with input shapes: [?,15], [?,15,100].
# written-for: keras 2.x / tensorflow 1.x
# runs-with: tf-keras
# expect: CNN008 @ 40
# error: Dimensions must be equal
import numpy as np
from keras import backend as K
from keras import initializers
from keras.layers import Layer, Input, Embedding, GRU, Bidirectional, TimeDistributed, Dense
from keras.models import Model

WORDS_PER_SENTENCE = 100
SENTENCES_PER_REVIEW = 15
VOCABULARY = 50


class WordAttention(Layer):
    def __init__(self, attention_dim, **kwargs):
        self.init = initializers.get("normal")
        self.attention_dim = attention_dim
        super(WordAttention, self).__init__(**kwargs)

    def build(self, input_shape):
        assert len(input_shape) == 3
        self.W = self.add_weight(name="W", shape=(input_shape[-1], self.attention_dim),
                                 initializer=self.init)
        self.b = self.add_weight(name="b", shape=(self.attention_dim,), initializer=self.init)
        self.u = self.add_weight(name="u", shape=(self.attention_dim, 1), initializer=self.init)
        super(WordAttention, self).build(input_shape)

    def call(self, x, mask=None):
        # x: (batch, steps, features)
        uit = K.tanh(K.bias_add(K.dot(x, self.W), self.b))
        ait = K.dot(uit, self.u)
        ait = K.squeeze(ait, -1)
        ait = K.exp(ait)
        ait /= K.sum(ait, axis=1, keepdims=True) + K.epsilon()
        # the step weights are (batch, steps): they do not broadcast against (batch, steps, features)
        # unless steps == features, as for the word level here
        weighted = x * ait
        return K.sum(weighted, axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])


words = Input(shape=(WORDS_PER_SENTENCE,), dtype="int32")
embedded = Embedding(VOCABULARY, 8)(words)
word_states = Bidirectional(GRU(50, return_sequences=True))(embedded)
sentence_vector = WordAttention(100)(word_states)
sentence_encoder = Model(words, sentence_vector)

review = Input(shape=(SENTENCES_PER_REVIEW, WORDS_PER_SENTENCE), dtype="int32")
encoded = TimeDistributed(sentence_encoder)(review)
sentence_states = Bidirectional(GRU(50, return_sequences=True))(encoded)
review_vector = WordAttention(100)(sentence_states)
predictions = Dense(2, activation="softmax")(review_vector)
model = Model(review, predictions)
model.compile(loss="categorical_crossentropy", optimizer="rmsprop", metrics=["acc"])

x = np.random.randint(0, VOCABULARY, size=(4, SENTENCES_PER_REVIEW, WORDS_PER_SENTENCE))
y = np.eye(2)[np.random.randint(0, 2, size=4)]
model.fit(x, y, epochs=1, batch_size=2, verbose=0)
