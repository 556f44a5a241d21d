"""The OpenCV plugin's table: its library functions by canonical name (`cv2.imread`, ...).

Filled by the modules of this folder as they are imported (`plugin.py` imports them all);
read only by this plugin.
"""

from __future__ import annotations

from cnnlint.frontend.library import Library

LIBRARY = Library()
# `@api("name", params="...")`: register a handler in this plugin's library.
api = LIBRARY.function
