"""The keras plugin (see plugin.py)."""
