"""cnnlint: find shape bugs in TensorFlow / Keras CNN code without running it."""

__version__ = "0.1.0"
