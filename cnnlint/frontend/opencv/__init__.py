"""The OpenCV plugin (see plugin.py)."""
