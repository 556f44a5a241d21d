"""The numpy plugin (see plugin.py)."""
