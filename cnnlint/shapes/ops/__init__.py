"""The op declarations, one module per family; importing a family declares its ops.

`basic` (input, opaque, identity, join), `convolution` (conv, depthwise_conv, conv_transpose,
pool), `feature_map` (upsample, crop, resize, pad), `reshape` (reshape, flatten, transpose,
expand_dims, squeeze, reduce, repeat_vector), `merge` (broadcast, bias_add, concat), `dense`
(matmul, dense), `recurrent` (rnn, embedding, time_distributed), `weights` (set_weights),
`data` (index, compare, stack, vstack, hstack, batch, to_categorical, pad_sequences), `backbone`
(a whole `keras.applications` network).

Nothing here imports them: `registry.FAMILIES` names the module of each op, which is imported on
the op's first lookup (`registry.declare_all()` imports every family).
"""
