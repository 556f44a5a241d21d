"""The framework plugins, in the order the interpreter asks them (the first that answers wins).

A new framework is a new folder with a `plugin.py` and one entry here.
"""

from __future__ import annotations

from cnnlint.frontend.keras.plugin import KerasPlugin
from cnnlint.frontend.numpy.plugin import NumPyPlugin
from cnnlint.frontend.opencv.plugin import OpenCVPlugin
from cnnlint.frontend.pandas.plugin import PandasPlugin
from cnnlint.frontend.pillow.plugin import PillowPlugin
from cnnlint.frontend.python.plugin import Plugin, Plugins
from cnnlint.frontend.sklearn.plugin import SklearnPlugin
from cnnlint.frontend.tensorflow.plugin import TensorFlowPlugin
from cnnlint.frontend.tfds.plugin import TfdsPlugin

PLUGINS: tuple[type[Plugin], ...] = (TensorFlowPlugin, KerasPlugin, NumPyPlugin, TfdsPlugin, OpenCVPlugin,
                                       PillowPlugin, SklearnPlugin, PandasPlugin)
# A file that contains none of these bytes is not read (the runner's prefilter).
MARKERS: tuple[bytes, ...] = tuple(m for plugin in PLUGINS for m in plugin.markers)


def chain() -> Plugins:
    return Plugins([plugin() for plugin in PLUGINS])
