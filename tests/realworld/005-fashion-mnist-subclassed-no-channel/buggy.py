# source: https://e-com-net.com/article/1282004287597068288.htm — Fashion数据集卷积报错:Input 0 of layer conv2d is incompatible with the layer: expected ndim=4, found ndim=3
# written-for: tensorflow 2.1 (tf.keras)
# runs-with: keras3
# kind: datasets
# expect: CNN012 @ 31
# error: expected min_ndim=4, found ndim=3

import tensorflow as tf
from tensorflow.keras import Model
from tensorflow.keras.layers import Conv2D, MaxPool2D, Flatten, Dense

fashion = tf.keras.datasets.fashion_mnist
(x_train, y_train), (x_test, y_test) = fashion.load_data()
x_train, x_test = x_train / 255.0, x_test / 255.0


class Baseline(Model):
    def __init__(self):
        super().__init__()
        self.c1 = Conv2D(filters=6, kernel_size=(5, 5), padding="same", activation="relu")
        self.p1 = MaxPool2D(pool_size=(2, 2), strides=2)
        self.flatten = Flatten()
        self.f1 = Dense(10, activation="softmax")

    def call(self, x):
        return self.f1(self.flatten(self.p1(self.c1(x))))


model = Baseline()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["sparse_categorical_accuracy"])
model.fit(x_train, y_train, batch_size=32, epochs=1)
