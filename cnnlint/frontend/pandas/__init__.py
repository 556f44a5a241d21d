"""The pandas plugin: DataFrames and Series as arrays of known rank (`frames.py`, `readers.py`)."""
