"""The raw TensorFlow front end: the code forms it must understand, and staying quiet on the unknown."""

from __future__ import annotations

from tests.conftest import codes, lint, module_of, shapes_by_label

CONV_NET = """
{imports}
x = {tf}.placeholder({tf}.float32, [None, 28, 28, 1])
w = {tf}.Variable({tf}.random_normal([5, 5, 1, 32]))
h = {nn}.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')
h = {nn}.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')
flat = {tf}.reshape(h, [-1, 7 * 7 * 32])
"""


def test_import_tensorflow_as_tf() -> None:
    code = CONV_NET.format(imports="import tensorflow as tf", tf="tf", nn="tf.nn")
    assert codes(code) == ["CNN001"]


def test_import_compat_v1_as_tf() -> None:
    code = CONV_NET.format(imports="import tensorflow.compat.v1 as tf", tf="tf", nn="tf.nn")
    assert codes(code) == ["CNN001"]


def test_from_tensorflow_import_nn() -> None:
    code = CONV_NET.format(imports="import tensorflow as tf\nfrom tensorflow import nn", tf="tf", nn="nn")
    assert codes(code) == ["CNN001"]


def test_from_tensorflow_compat_import_v1() -> None:
    code = CONV_NET.format(imports="from tensorflow.compat import v1", tf="v1", nn="v1.nn")
    assert codes(code) == ["CNN001"]


def test_tf_compat_v1_attribute_path() -> None:
    code = CONV_NET.format(imports="import tensorflow as tf", tf="tf.compat.v1", nn="tf.nn")
    assert codes(code) == ["CNN001"]


def test_unrelated_module_named_like_tf_is_not_tensorflow() -> None:
    code = CONV_NET.format(imports="import mylib as tf", tf="tf", nn="tf.nn")
    assert codes(code) == []


def test_weight_sources() -> None:
    shapes = shapes_by_label("""
        import numpy as np
        import tensorflow as tf
        a = tf.get_variable('a', shape=[3, 3, 1, 8])
        b = tf.Variable(tf.truncated_normal([3, 3, 8, 16], stddev=0.1))
        c = tf.Variable(tf.zeros([16]))
        d = tf.Variable(tf.constant(0.1, shape=[16]))
        e = np.random.randn(4000, 64)
        f = np.zeros((2, 3))
        g = tf.Variable(tf.random.normal([7, 7]))
        k = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    """)
    assert shapes == {"a": "3,3,1,8", "b": "3,3,8,16", "c": "16", "d": "16", "e": "4000,64", "f": "2,3",
                      "g": "7,7", "k": "3,2"}


def test_conv_variants() -> None:
    shapes = shapes_by_label("""
        import tensorflow as tf
        s = tf.placeholder(tf.float32, [None, 300, 1])
        c1 = tf.nn.conv1d(s, tf.zeros([5, 1, 111]), stride=1, padding='VALID')
        v = tf.placeholder(tf.float32, [None, 16, 32, 32, 3])
        c3 = tf.nn.conv3d(v, tf.zeros([3, 3, 3, 3, 8]), strides=[1, 2, 2, 2, 1], padding='SAME')
        x = tf.placeholder(tf.float32, [None, 32, 32, 3])
        dw = tf.nn.depthwise_conv2d(x, tf.zeros([3, 3, 3, 2]), strides=[1, 1, 1, 1], padding='VALID')
        up = tf.nn.conv2d_transpose(x, tf.zeros([3, 3, 16, 3]), output_shape=[8, 64, 64, 16],
                                    strides=[1, 2, 2, 1], padding='SAME')
        dil = tf.nn.conv2d(x, tf.zeros([3, 3, 3, 4]), strides=1, padding='VALID', dilations=2)
        nchw = tf.placeholder(tf.float32, [None, 3, 32, 32])
        cf = tf.nn.conv2d(nchw, tf.zeros([5, 5, 3, 6]), strides=[1, 1, 2, 2], padding='VALID', data_format='NCHW')
        pad = tf.nn.conv2d(x, tf.zeros([3, 3, 3, 4]), strides=1, padding=[[0, 0], [1, 1], [2, 2], [0, 0]])
        at = tf.nn.atrous_conv2d(x, tf.zeros([3, 3, 3, 4]), rate=2, padding='VALID')
    """)
    assert shapes["c1"] == "?,296,111"
    assert shapes["c3"] == "?,8,16,16,8"
    assert shapes["dw"] == "?,30,30,6"
    assert shapes["up"] == "8,64,64,16"
    assert shapes["dil"] == "?,28,28,4"
    assert shapes["cf"] == "?,6,14,14"
    assert shapes["pad"] == "?,32,34,4"
    assert shapes["at"] == "?,28,28,4"


def test_pool_variants() -> None:
    shapes = shapes_by_label("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 28, 28, 8])
        a = tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding='VALID')
        b = tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')
        c = tf.nn.max_pool2d(x, ksize=2, strides=2, padding='VALID')
        d = tf.nn.pool(x, window_shape=[2, 2], pooling_type='MAX', strides=[2, 2], padding='SAME')
        s = tf.placeholder(tf.float32, [None, 100, 4])
        e = tf.nn.max_pool1d(s, ksize=4, strides=4, padding='VALID')
    """)
    assert (shapes["a"], shapes["b"], shapes["c"], shapes["d"], shapes["e"]) == \
        ("?,13,13,8", "?,14,14,8", "?,14,14,8", "?,14,14,8", "?,25,4")


def test_tf_layers_and_contrib() -> None:
    shapes = shapes_by_label("""
        import tensorflow as tf
        slim = tf.contrib.slim
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        c = tf.layers.conv2d(x, 32, 5, activation=tf.nn.relu)
        p = tf.layers.max_pooling2d(c, 2, 2)
        c2 = tf.layers.conv2d(inputs=p, filters=64, kernel_size=[3, 3], padding='same')
        f = tf.layers.flatten(c2)
        d = tf.layers.dense(f, 1024)
        s1 = slim.conv2d(x, 16, [3, 3])
        s2 = slim.max_pool2d(s1, [2, 2])
        s3 = tf.contrib.layers.flatten(s2)
        s4 = tf.contrib.layers.fully_connected(s3, 10)
        t = tf.layers.conv2d_transpose(c2, 8, 3, strides=2, padding='valid')
    """)
    assert shapes["c"] == "?,24,24,32" and shapes["p"] == "?,12,12,32" and shapes["c2"] == "?,12,12,64"
    assert shapes["f"] == "?,9216" and shapes["d"] == "?,1024"
    assert (shapes["s1"], shapes["s2"], shapes["s3"], shapes["s4"]) == ("?,28,28,16", "?,14,14,16", "?,3136", "?,10")
    assert shapes["t"] == "?,25,25,8"


def test_helpers_inlined_with_defaults_and_keywords() -> None:
    assert codes("""
        import tensorflow as tf
        def conv(x, W, stride=1, pad='SAME'):
            return tf.nn.conv2d(x, W, strides=[1, stride, stride, 1], padding=pad)
        def pool(x, k=2):
            return tf.nn.max_pool(x, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding='SAME')
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        h = pool(conv(x, tf.zeros([3, 3, 1, 8]), pad='VALID'), k=3)
        flat = tf.reshape(h, [-1, 9 * 9 * 8])
        bad = tf.reshape(h, [-1, 10 * 10 * 8])
    """) == ["CNN001"]


def test_loops_over_literal_lists_and_range() -> None:
    shapes = shapes_by_label("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 64, 64, 3])
        channels = 3
        for filters in [16, 32, 64]:
            w = tf.Variable(tf.zeros([3, 3, channels, filters]))
            x = tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME')
            x = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')
            channels = filters
        for i in range(2):
            x = tf.nn.avg_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID')
        out = x
    """)
    assert shapes["out"] == "?,2,2,64"


def test_unknown_loop_makes_the_result_unknown() -> None:
    assert codes("""
        import tensorflow as tf
        import sys
        x = tf.placeholder(tf.float32, [None, 64, 64, 3])
        for i in range(int(sys.argv[1])):
            x = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')
        flat = tf.reshape(x, [-1, 123])
    """) == []


def test_if_with_unknown_condition_joins_quietly() -> None:
    assert codes("""
        import tensorflow as tf
        import os
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        if os.environ.get('BIG'):
            x = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')
        flat = tf.reshape(x, [-1, 14 * 14])
    """) == []


def test_if_with_known_condition_takes_one_branch() -> None:
    assert codes("""
        import tensorflow as tf
        use_pool = True
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        if use_pool:
            x = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')
        else:
            x = tf.identity(x)
        flat = tf.reshape(x, [-1, 28 * 28])
    """) == ["CNN001"]


def test_early_return_under_unknown_condition() -> None:
    assert codes("""
        import tensorflow as tf
        import os
        def maybe_pool(x):
            if os.environ.get('X'):
                return x
            return tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        flat = tf.reshape(maybe_pool(x), [-1, 10])
    """) == []


def test_shape_queries_and_int_arithmetic() -> None:
    shapes = shapes_by_label("""
        import math
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 28, 28, 3])
        h = x.get_shape().as_list()[1]
        c = int(x.shape[3])
        n = x.shape[2].value
        side = int(math.ceil(h / 4))
        y = tf.reshape(x, [-1, h // 2, n * 2, c])
        z = tf.zeros([side, side])
        b = tf.reshape(x, [tf.shape(x)[0], -1])
    """)
    assert shapes["y"] == "?,14,56,3" and shapes["z"] == "7,7" and shapes["b"] == "?,2352"


def test_tensor_operators() -> None:
    shapes = shapes_by_label("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        y = x @ W + b
        z = tf.nn.softmax(tf.matmul(x, W) + b)
        t = tf.transpose(tf.expand_dims(y, 1), [0, 2, 1])
        s = tf.squeeze(t, axis=2)
        c = tf.concat([y, z], axis=1)
        m = tf.reduce_mean(c, axis=1, keepdims=True)
        p = tf.pad(x, [[0, 0], [2, 2]])
    """)
    assert (shapes["y"], shapes["z"], shapes["t"], shapes["s"], shapes["c"], shapes["m"], shapes["p"]) == \
        ("?,10", "?,10", "?,10,1", "?,10", "?,20", "?,1", "?,788")


def test_classes_hold_weights_as_attributes() -> None:
    assert codes("""
        import tensorflow as tf
        class Net:
            def __init__(self, n_in):
                self.W = tf.Variable(tf.zeros([n_in, 10]))
            def __call__(self, x):
                return tf.matmul(x, self.W)
        net = Net(1024)
        x = tf.placeholder(tf.float32, [None, 3136])
        logits = net(x)
    """) == ["CNN002"]


def test_uncalled_function_is_checked_with_unknown_arguments() -> None:
    module = module_of("""
        import tensorflow as tf
        def build(x):
            w = tf.Variable(tf.zeros([5, 5, 3, 8]))
            y = tf.placeholder(tf.float32, [None, 32, 32, 1])
            return tf.nn.conv2d(y, w, [1, 1, 1, 1], 'SAME')
    """)
    assert [g.name for g in module.graphs] == ["build()"]
    assert codes("""
        import tensorflow as tf
        def build(x):
            w = tf.Variable(tf.zeros([5, 5, 3, 8]))
            y = tf.placeholder(tf.float32, [None, 32, 32, 1])
            return tf.nn.conv2d(y, w, [1, 1, 1, 1], 'SAME')
    """) == ["CNN003"]


def test_unknown_values_stay_quiet() -> None:
    assert codes("""
        import tensorflow as tf
        from mymodel import config, make_weights
        x = tf.placeholder(tf.float32, [None, config.size, config.size, 1])
        w = make_weights()
        h = tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME')
        flat = tf.reshape(h, [-1, config.flat])
        y = tf.matmul(flat, tf.zeros([123, 10]))
        z = tf.reshape(tf.placeholder(tf.float32), [-1, 5])
    """) == []


def test_symbolic_sizes_from_uncalled_function_parameters() -> None:
    module = module_of("""
        import tensorflow as tf
        def build(h, w):
            x = tf.placeholder(tf.float32, [None, h, w, 3])
            y = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], 'SAME')
            return tf.reshape(y, [-1, 10])
    """)
    (graph,) = module.graphs
    assert all(not n.problems for n in graph.nodes)


def test_recursion_is_bounded() -> None:
    assert codes("""
        import tensorflow as tf
        def f(x):
            return f(x)
        y = f(tf.placeholder(tf.float32, [None, 3]))
        z = tf.reshape(y, [-1, 5])
    """) == []


def test_runaway_loop_is_bounded() -> None:
    module = module_of("""
        import tensorflow as tf
        layers = []
        for i in range(10 ** 9):
            layers.append(tf.zeros([3]))
        x = tf.reshape(tf.zeros([6]), [4, 4])
    """)
    assert module.incomplete is None
    assert [p.kind for g in module.graphs for n in g.nodes for p in n.problems] == ["reshape-size"]


def test_numpy_astype_and_reshape_methods() -> None:
    shapes = shapes_by_label("""
        import numpy as np
        w = np.random.randn(4000, 64).astype(np.float32)
        k = w.reshape(20, 20, 10, 64)
        rows = w.reshape((-1, 64))
    """)
    assert (shapes["w"], shapes["k"], shapes["rows"]) == ("4000,64", "20,20,10,64", "4000,64")


def test_method_reshape_is_reported_at_its_call() -> None:
    (d,) = lint("""
        import numpy as np
        w = np.zeros((4000, 64))
        k = w.reshape(21, 20, 10, 64)
    """)
    assert (d.code, d.loc.line) == ("CNN004", 4)


def test_uncalled_function_may_use_module_level_tensors() -> None:
    module = module_of("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        w = tf.Variable(tf.zeros([5, 5, 3, 8]))
        def net():
            return tf.nn.conv2d(x, w, [1, 1, 1, 1], 'SAME')
    """)
    assert [g.name for g in module.graphs] == ["<module>", "net()"]
    assert [p.kind for n in module.graphs[1].own_nodes for p in n.problems] == ["channels"]
    assert codes("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        y = tf.reshape(x, [-1, 27])
        def net():
            return tf.nn.relu(x)
    """) == ["CNN001"]


def test_initializer_objects_called_with_a_shape() -> None:
    shapes = shapes_by_label("""
        import tensorflow as tf
        random_normal = tf.initializers.RandomNormal()
        glorot = tf.keras.initializers.GlorotUniform(seed=1)
        w1 = tf.Variable(random_normal([5, 5, 1, 32]))
        w2 = tf.Variable(glorot(shape=(3, 3, 32, 64)))
        w3 = tf.Variable(tf.random_normal_initializer(stddev=0.1)([7, 7]))
    """)
    assert (shapes["w1"], shapes["w2"], shapes["w3"]) == ("5,5,1,32", "3,3,32,64", "7,7")


def test_keras_sequential_and_functional_basics() -> None:
    shapes = shapes_by_label("""
        from tensorflow import keras
        from tensorflow.keras import layers
        inputs = keras.Input(shape=(32, 32, 3))
        x = layers.Conv2D(16, 3, strides=2, padding="same")(inputs)
        pooled = layers.GlobalAveragePooling2D()(x)
        outputs = layers.Dense(10)(pooled)
    """)
    assert (shapes["x"], shapes["pooled"], shapes["outputs"]) == ("?,16,16,16", "?,16", "?,10")


def test_keras_conv_after_flatten_is_a_rank_mismatch() -> None:
    assert codes("""
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten
        model = Sequential()
        model.add(Flatten(input_shape=(28, 28)))
        model.add(Conv2D(8, 3))
    """) == ["CNN006"]


def test_keras_model_without_input_shape_still_refuses_a_conv_after_flatten() -> None:
    """Whatever the input, a Flatten is rank 2 and a Conv2D takes rank 4 only (issue 16)."""
    assert codes("""
        from keras import layers, Sequential
        model = Sequential([layers.Flatten(), layers.Conv2D(8, 3), layers.Dense(4)])
    """) == ["CNN006"]
    assert codes("""
        from keras import layers, Sequential
        model = Sequential([layers.Conv2D(8, 3), layers.Dense(4)])
    """) == []


def test_keras_image_data_format_defaults_to_channels_last() -> None:
    module = module_of("""
        from keras import backend as K
        from keras.models import Sequential
        from keras.layers import Conv2D
        input_shape = (1, 28, 28) if K.image_data_format() == 'channels_first' else (28, 28, 1)
        model = Sequential([Conv2D(32, (3, 3), input_shape=input_shape)])
    """)
    conv = module.graphs[0].nodes[-1]
    assert conv.shape is not None and [d.value for d in conv.shape[1:]] == [26, 26, 32]


def test_unrolled_loop_reports_a_bug_once() -> None:
    assert codes("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        for step in range(10):
            y = tf.reshape(x, [-1, 700])
    """) == ["CNN001"]

