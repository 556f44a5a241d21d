"""The op declarations, one module per family; importing this package declares every op.

`basic` (input, opaque, identity, join), `convolution` (conv, depthwise_conv, conv_transpose,
pool), `feature_map` (upsample, crop, resize, pad), `reshape` (reshape, flatten, transpose,
expand_dims, squeeze, reduce, repeat_vector), `merge` (broadcast, bias_add, concat), `dense`
(matmul, dense), `recurrent` (rnn, embedding, time_distributed), `weights` (set_weights),
`data` (index, compare, stack, vstack, hstack, batch, to_categorical, pad_sequences), `backbone`
(a whole `keras.applications` network).
"""

from cnnlint.shapes.ops import (
    backbone,
    basic,
    convolution,
    data,
    dense,
    feature_map,
    merge,
    recurrent,
    reshape,
    weights,
)
from cnnlint.shapes.ops.basic import join

__all__ = ["backbone", "basic", "convolution", "data", "dense", "feature_map", "join", "merge", "recurrent", "reshape",
           "weights"]
