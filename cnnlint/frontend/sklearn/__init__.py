"""The scikit-learn plugin: `train_test_split` and the transformers that reach a model's data."""
