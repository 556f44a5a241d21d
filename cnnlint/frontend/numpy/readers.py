"""Arrays read from files (`np.load`, `np.loadtxt`, `matplotlib`'s, scikit-image's and imageio's
`imread`): their rank and sizes are the file's, so unknown until an op of the program fixes them
(`x.reshape(-1, 28, 28, 1)` is `(?, 28, 28, 1)` whatever was read)."""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.numpy.registry import api
from cnnlint.frontend.python.values import Value

NP = "numpy"


@api(f"{NP}.load", f"{NP}.loadtxt", f"{NP}.genfromtxt", f"{NP}.fromfile", f"{NP}.fromstring", f"{NP}.frombuffer",
     "matplotlib.image.imread", "matplotlib.pyplot.imread", "skimage.io.imread", "imageio.imread",
     "imageio.v2.imread", "imageio.v3.imread", params="fname")
def read_array(c: Call) -> Value:
    """An array of unknown rank: what the file holds."""
    return c.add("input", [], {"shape": None, "kind": "array"})
