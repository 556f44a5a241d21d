"""The TensorFlow Datasets plugin (see plugin.py)."""
