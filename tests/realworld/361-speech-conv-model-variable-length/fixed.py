# source: https://github.com/douglas125/SpeechCmdRecognition/issues/8 — ConvSpeechModel does not runs
# written-for: tensorflow 2.3 (tf.keras)
# runs-with: keras3
# expect: nothing

from tensorflow.keras import layers as L
from tensorflow.keras.models import Model


def conv_speech_model(n_categories, input_length=16000):
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


# The maintainer's answer: this model needs a fixed input length (one second at 16 kHz).
model = conv_speech_model(21, input_length=16000)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
