"""The tfds plugin's tables: its library functions by canonical name, and the methods of its values.

Filled by the modules of this folder as they are imported (`plugin.py` imports them, `datasets.py` on
the first lookup of a `tensorflow_datasets` name: `Library.defer`);
read only by this plugin.
"""

from __future__ import annotations

from collections.abc import Callable

from cnnlint.frontend.library import Library
from cnnlint.frontend.python.values import Value

LIBRARY = Library()
# (value type, method name) -> implementation, called as impl(interp, the value, *args, **kwargs).
METHODS: dict[tuple[type[Value], str], Callable[..., Value]] = {}
# `@api("name", params="...")`: register a handler in this plugin's library.
api = LIBRARY.function
