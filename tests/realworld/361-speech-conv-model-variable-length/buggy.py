# source: https://github.com/douglas125/SpeechCmdRecognition/issues/8 — ConvSpeechModel does not runs
# written-for: tensorflow 2.3 (tf.keras)
# runs-with: keras3
# kind: other
# expect: CNN002 @ 22
# error: must be fully-defined
# raised-by: tf.keras 2.3 keras/layers/core.py Dense.build: `The last dimension of the inputs to `Dense` should be defined. Found `None`.` (`inputLength=None`: the waveform's length is None, and so is the flattened map's); Keras 3 raises when it creates the Dense kernel

from tensorflow.keras import layers as L
from tensorflow.keras.models import Model


def conv_speech_model(n_categories, input_length=16000):
    # The project's model starts with a mel-spectrogram layer; a strided 1-D convolution stands in.
    inputs = L.Input((input_length,), name="input")
    x = L.Reshape((-1, 1))(inputs)
    x = L.Conv1D(16, 64, strides=16, activation="relu")(x)
    x = L.MaxPooling1D(4)(x)
    x = L.Conv1D(32, 3, activation="relu")(x)
    x = L.MaxPooling1D(4)(x)
    x = L.Flatten()(x)
    x = L.Dense(64, activation="relu")(x)
    outputs = L.Dense(n_categories, activation="softmax")(x)
    return Model(inputs, outputs)


model = conv_speech_model(21, input_length=None)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
