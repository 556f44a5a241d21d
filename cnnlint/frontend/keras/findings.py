"""What the Keras plugin states besides shapes, for the rules to report: a Keras 1 spelling
(CNN007) with the facts its fix is written from, and arguments whose meaning depends on the
Keras version (CNN016)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from cnnlint.ir import FindingDetails, Loc

Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True)
class RenameFacts:
    """How the bare name of a Keras 1 class call (`Convolution2D(...)`) is bound, for renaming it.

    `import_at`: the imported name in `from keras.layers import Convolution2D` (None when only a
    star import binds it); `aliased`: imported `as` another name, which keeps binding that name;
    `references`: every use of the binding (the calls among them are findings too).
    """

    import_at: Loc | None
    aliased: bool
    references: tuple[Loc, ...]


@dataclass(frozen=True)
class BareCallee:
    """A Keras 1 class called by its bare name: where the name is, as written, and the class."""

    at: Loc
    name: str
    old: str


@dataclass(frozen=True)
class LayerRewrite:
    """A Keras 1 layer call the fix rewrites: its class, exact source text (starting at the
    finding's location) and how sure the rewrite is; a bare callee and its binding."""

    layer_kind: str
    source: str
    applicability: Applicability
    bare_callee: BareCallee | None = None
    rename: RenameFacts | None = None


@dataclass(frozen=True)
class KeywordRewrite:
    """A call whose keyword arguments the fix renames (`nb_epoch=` -> `epochs=`)."""

    renames: Mapping[str, str]
    source: str
    applicability: Applicability = "safe"


@dataclass(frozen=True)
class MethodRewrite:
    """A training method Keras 3 removed, called as its successor (`fit_generator(gen, ...)` ->
    `fit(gen, ...)`): the new name, keywords renamed (`generator=` -> `x=`) and keywords dropped
    (`workers=`, which only set how batches are loaded)."""

    method: str
    renames: Mapping[str, str]
    drops: tuple[str, ...]
    source: str
    applicability: Applicability = "safe"


@dataclass(frozen=True)
class LegacyApi(FindingDetails):
    """A Keras 1 spelling: the Keras 1 names used, the call as written, its Keras 2+ text (or prose
    advice), and the facts of its automatic fix where there is one."""

    kind: ClassVar[str] = "legacy-keras-api"
    names: tuple[str, ...]
    old: str
    modern: str
    fix_message: str | None = None
    rewrite: LayerRewrite | KeywordRewrite | MethodRewrite | None = None
    # tf.keras reads `Convolution2D(32, 3, 3)`'s second kernel size as the stride.
    as_strides: bool = False
    # `modern` is advice in prose, not a call to write.
    prose: bool = False
    # What the target Keras does with it (cnnlint.frontend.keras.versions.legacy_verdict), and the
    # target in words ("Keras 2.2.4 (requirements.txt:3: keras==2.2.4)"; "" where none is stated).
    verdict: str = "refused"
    target: str = ""


@dataclass(frozen=True)
class RefusedApplicationInput(FindingDetails):
    """A `keras.applications` network whose constructor refuses its arguments in every Keras
    (`imagenet_utils.obtain_input_shape`, the classes check): the rule that reports it (`code`:
    CNN005 for an input under the network's minimum size, CNN011 for ImageNet weights that do not
    fit) and the message, composed where the network's table is (`frontend/keras/applications.py`)."""

    kind: ClassVar[str] = "refused-application-input"
    code: str
    message: str


@dataclass(frozen=True)
class VersionDependent(FindingDetails):
    """A plain-`keras` convolution given positional arguments after `kernel_size` (CNN016)."""

    kind: ClassVar[str] = "version-dependent-arguments"
    layer_kind: str
    names: tuple[str, ...]
    values: tuple[str, ...] = field(default=())
    # Under a stated target: "converted" (Keras 2.0-2.3 read `Conv2D(32, 3, 3)` as a 3x3 kernel, with a
    # warning) or "refused" (a ValueError / TypeError there); None where no target is stated.
    verdict: str | None = None
    target: str = ""
