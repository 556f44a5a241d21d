# source: https://github.com/aspamers/siamese/issues/5 — Input shapes error
# written-for: tensorflow 2.3 (keras 2.4)
# runs-with: tf-keras
# kind: other
# expect: CNN006 @ 27
# error: expected ndim=3, found ndim=2
# missed-unstated: the head's inputs are `Input(shape=base.output_shape)`, (None, None, 4) with the batch axis kept; Keras 3 accepts calling the head on the (None, 4) embeddings (a model applied as a layer runs only its layers' `compute_output_spec`, which checks no InputSpec) and fails only at the first batch, so nothing is certain for an unstated Keras; read for its Keras 2.4, tf-keras and Keras 2 run each layer's `__call__` and the head's BatchNormalization refuses the rank its first call did not build ("expected ndim=3, found ndim=2"): CNN006

from keras import Input, Model
from keras.layers import Activation, BatchNormalization, Concatenate, Dense

base_in = Input(shape=(3,))
embedding = Activation("relu")(BatchNormalization()(Dense(4)(base_in)))
base_model = Model(base_in, embedding)

# The head is given the base's whole output_shape, batch axis included: (None, 4).
embedding_shape = base_model.output_shape
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
