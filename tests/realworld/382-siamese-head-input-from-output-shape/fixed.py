# source: https://github.com/aspamers/siamese/issues/5 — Input shapes error
# written-for: tensorflow 2.3 (keras 2.4)
# runs-with: tf-keras
# expect: nothing

from keras import Input, Model
from keras.layers import Activation, BatchNormalization, Concatenate, Dense

base_in = Input(shape=(3,))
embedding = Activation("relu")(BatchNormalization()(Dense(4)(base_in)))
base_model = Model(base_in, embedding)

# The head is given the base's output_shape without its batch axis: (4,).
embedding_shape = base_model.output_shape[1:]
embedding_a = Input(shape=embedding_shape)
embedding_b = Input(shape=embedding_shape)
head = Concatenate()([embedding_a, embedding_b])
head = BatchNormalization()(Dense(4)(head))
head = Dense(1, activation="sigmoid")(head)
head_model = Model([embedding_a, embedding_b], head)

input_a = Input(shape=(3,))
input_b = Input(shape=(3,))
similarity = head_model([base_model(input_a), base_model(input_b)])
siamese = Model([input_a, input_b], similarity)
siamese.compile(loss="binary_crossentropy", optimizer="adam")
