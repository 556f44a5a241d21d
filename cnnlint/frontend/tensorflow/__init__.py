"""The tensorflow plugin (see plugin.py)."""
