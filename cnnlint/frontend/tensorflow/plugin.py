"""The TensorFlow plugin: `tf.nn`, `tf.layers` and `tf.contrib` layers, raw tensor functions,
`tf.data` pipelines, TF1 sessions and their `feed_dict`, TF1 RNN cells and `dynamic_rnn`."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.plugin import FunctionHook, Plugin
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    Const,
    DimV,
    ObjectKeyedDictV,
    Value,
    as_dim,
    bound_method,
)
from cnnlint.frontend.tensor import ShapeV, TensorV
from cnnlint.frontend.tensorflow import (  # noqa: F401  (they fill the tables)
    control,
    data,
    dropout,
    image,
    initializers,
    layers,
    losses,
    nn,
    rnn,
    tutorials,
)
from cnnlint.frontend.tensorflow.findings import WeightsGiven
from cnnlint.frontend.tensorflow.initialisation import finish, leaves, passed_on
from cnnlint.frontend.tensorflow.registry import LIBRARY, METHODS
from cnnlint.frontend.tensorflow.session import SessionV, feed_dict, unknown_run

WEIGHT_SETTERS = frozenset({"load_weights", "set_weights", "restore", "assign", "load_state_dict"})


class TensorFlowPlugin(Plugin):
    name: ClassVar[str] = "tensorflow"
    markers: ClassVar[tuple[bytes, ...]] = (b"tensorflow", b"tf_slim")

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        method = bound_method(METHODS, value, attr)
        if method is not None:
            return method
        if isinstance(value, TensorV) and attr == "get_shape":
            shape = interp.graph.nodes[value.node].shape
            return BuiltinV("get_shape", lambda _interp: ShapeV(shape))
        if isinstance(value, (Const, DimV)) and attr == "value" and as_dim(value) is not None:
            return value  # TF1 Dimension.value
        if value is UNKNOWN and attr == "run":
            return BuiltinV("run", unknown_run)  # `with tf.Session() as sess:` leaves `sess` unknown
        return None

    def call_value(
        self, interp: Evaluator, value: Value, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None,
    ) -> Value | None:
        if isinstance(value, Const) and str(value.value).startswith(losses.KERAS_LOSS_PREFIX):
            return losses.call_keras_loss(interp, value, args, kwargs, site)  # `CategoricalCrossentropy()(y, p)`
        return None

    def observe_call(self, interp: Evaluator, args: list[Value], kwargs: dict[str, Value], site: cst.Call) -> None:
        if isinstance(site.func, cst.Attribute) and site.func.attr.value in WEIGHT_SETTERS:
            interp.finding(site, WeightsGiven(site.func.attr.value))  # CNN208: weights not left as initialised
        for value in (*args, *kwargs.values()):
            for leaf in leaves(value):
                if isinstance(leaf, SessionV) and leaf.track is not None:
                    passed_on(interp, leaf.track)  # `saver.restore(sess, path)`: it may initialise it
        feed = kwargs.get("feed_dict")
        if feed is None and len(args) >= 2 and isinstance(site.func, cst.Attribute) and site.func.attr.value == "run":
            feed = args[1]  # `sess.run(fetches, feed)`: the feed by position (only placeholders are read)
        if feed is None and len(args) == 1 and isinstance(site.func, cst.Attribute) and site.func.attr.value == "eval":
            feed = args[0]  # `accuracy.eval({x: images, y: labels})`
        if isinstance(feed, ObjectKeyedDictV):
            feed_dict(interp, feed, site)

    def finish(self, interp: Evaluator) -> None:
        finish(interp)
