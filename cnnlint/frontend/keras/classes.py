"""The Keras layer classes cnnlint models: their module paths, constructor parameters in
positional order, and the spellings that name the same class (`MaxPool2D` is `MaxPooling2D`)."""

from __future__ import annotations

PREFIXES = ("keras.layers", "keras.layers.convolutional", "keras.layers.core", "keras.layers.pooling",
            "keras.layers.normalization", "keras.layers.advanced_activations", "keras.layers.merge",
            "keras.layers.reshaping", "keras.layers.merging", "keras.layers.embeddings",
            "keras.layers.preprocessing", "keras.layers.experimental.preprocessing",
            "keras.layers.normalization.batch_normalization", "keras.layers.activation",
            "keras.layers.regularization", "keras.layers.noise")

_CONV = "filters kernel_size strides padding data_format dilation_rate groups activation use_bias"
_CONV_T = "filters kernel_size strides padding output_padding data_format dilation_rate activation use_bias"
_DEPTHWISE = "kernel_size strides padding depth_multiplier data_format dilation_rate activation use_bias"
_SEPARABLE = "filters kernel_size strides padding data_format dilation_rate depth_multiplier activation use_bias"
_SIZED = "height width"

# Class name -> constructor parameters in positional order (Keras 2 and 3 agree on these).
LAYER_PARAMS = {
    **{f"Conv{n}D": _CONV for n in (1, 2, 3)},
    **{f"Conv{n}DTranspose": _CONV_T for n in (1, 2, 3)},
    **{f"DepthwiseConv{n}D": _DEPTHWISE for n in (1, 2)},
    **{f"SeparableConv{n}D": _SEPARABLE for n in (1, 2)},
    **{f"{kind}Pooling{n}D": "pool_size strides padding data_format" for kind in ("Max", "Average")
       for n in (1, 2, 3)},
    **{f"{kind}Pool{n}D": "pool_size strides padding data_format" for kind in ("Max", "Avg")
       for n in (1, 2, 3)},
    **{f"Global{kind}Pooling{n}D": "data_format keepdims" for kind in ("Max", "Average") for n in (1, 2, 3)},
    **{f"Global{kind}Pool{n}D": "data_format keepdims" for kind in ("Max", "Avg") for n in (1, 2, 3)},
    "Dense": "units activation use_bias",
    **{f"ZeroPadding{n}D": "padding data_format" for n in (1, 2, 3)},
    **{f"UpSampling{n}D": "size data_format" for n in (1, 2, 3)},
    **{f"Cropping{n}D": "cropping data_format" for n in (1, 2, 3)},
    "Flatten": "data_format",
    "InputLayer": "input_shape batch_size dtype",
    "Reshape": "target_shape",
    "Permute": "dims",
    "RepeatVector": "n",
    "Embedding": "input_dim output_dim",
    "Concatenate": "axis",
    **{kind: "" for kind in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum")},
    "Resizing": _SIZED, "CenterCrop": _SIZED, "RandomCrop": _SIZED,
    "Lambda": "function output_shape",
    "BatchNormalization": "axis momentum epsilon center scale",
    "LayerNormalization": "axis epsilon center scale",
    "GroupNormalization": "groups axis epsilon center scale",
    "Normalization": "axis mean variance",
    "PReLU": "alpha_initializer alpha_regularizer alpha_constraint shared_axes",
    **{name: "units activation" for name in ("SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU")},
    "Bidirectional": "layer merge_mode",
    "TimeDistributed": "layer",
    **{name: "arg" for name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                                "Activation", "ReLU", "LeakyReLU", "Softmax", "ELU", "ThresholdedReLU",
                                "GaussianNoise", "GaussianDropout", "AlphaDropout", "Rescaling", "Identity",
                                "ActivityRegularization", "Masking", "UnitNormalization", "RandomFlip",
                                "RandomRotation", "RandomZoom", "RandomContrast", "RandomTranslation",
                                "RandomBrightness")},
}
IDENTITY = frozenset(k for k, v in LAYER_PARAMS.items() if v == "arg")
MERGES = {"Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Average": "average",
          "Maximum": "maximum", "Minimum": "minimum"}
# Keras 3's short pooling names are aliases of the long ones.
_ALIASES = {"MaxPool": "MaxPooling", "AvgPool": "AveragePooling", "GlobalMaxPool": "GlobalMaxPooling",
            "GlobalAvgPool": "GlobalAveragePooling", "Convolution": "Conv"}


def canonical_kind(kind: str) -> str:
    for short, long in _ALIASES.items():
        if kind.startswith(short) and not kind.startswith(long):
            return long + kind[len(short):]
    return kind
