"""The Pillow plugin (see plugin.py)."""
