# source: https://www.zzwws.cn/archives/34224 — 深度解析:Keras数据生成器流式训练中的张量尺寸不匹配问题 (expected shape=(None, 256, 256, 3), found shape=(32, 224, 224, 3))
# written-for: tensorflow 2.x
# runs-with: keras3
# expect: nothing

import numpy as np
from tensorflow import keras


class ScanBatches(keras.utils.Sequence):
    """Loads a batch of scans per step; the scans were prepared at 256 x 256."""

    def __init__(self, count, batch_size=8, size=(256, 256)):
        super().__init__()
        self.count = count
        self.batch_size = batch_size
        self.size = size

    def __len__(self):
        return self.count // self.batch_size

    def __getitem__(self, index):
        images = np.random.rand(self.batch_size, *self.size, 3).astype("float32")
        labels = keras.utils.to_categorical(np.random.randint(0, 2, self.batch_size), 2)
        return images, labels


inputs = keras.Input(shape=(256, 256, 3))
x = keras.layers.Conv2D(8, 3, strides=4, activation="relu")(inputs)
x = keras.layers.GlobalAveragePooling2D()(x)
outputs = keras.layers.Dense(2, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy")

train = ScanBatches(16)
model.fit(train, epochs=1, verbose=0)
