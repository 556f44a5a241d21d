"""Formatters: they turn diagnostics into text, JSON, SARIF or GitHub annotations, and never compute shapes."""
