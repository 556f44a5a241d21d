# source: https://github.com/ellisdg/3DUnetCNN/issues/228 — AttributeError: module 'keras.backend' has no attribute 'set_image_dim_ordering'
# written-for: keras 2.2.4 code run on keras 2.3
# runs-with: keras3
# kind: other
# expect: CNN007 @ 14
# error: has no attribute 'set_image_dim_ordering'
# raised-by: keras 2.2.5 and later: keras/backend/__init__.py no longer exports set_image_dim_ordering (keras 2.2.4 had it in keras/backend/common.py), so the call raises AttributeError
# missed-unstated: Keras 1 and 2.0-2.2.4 have `K.set_image_dim_ordering`, 2.2.5+ (keras/backend/__init__.py imports a list without it), tf.keras 2 and Keras 3 do not: nothing is certain for an unstated Keras; read for the Keras 2.3 it ran on, CNN007

from keras import backend as K
from keras.models import Model
from keras.layers import Input, Conv3D, MaxPooling3D, UpSampling3D, concatenate

K.set_image_dim_ordering("th")

volumes = Input((4, 32, 32, 32))
enc = Conv3D(8, (3, 3, 3), activation="relu", padding="same")(volumes)
down = MaxPooling3D(pool_size=(2, 2, 2))(enc)
mid = Conv3D(16, (3, 3, 3), activation="relu", padding="same")(down)
up = UpSampling3D(size=(2, 2, 2))(mid)
joined = concatenate([up, enc], axis=1)
mask = Conv3D(1, (1, 1, 1), activation="sigmoid")(joined)
unet = Model(inputs=volumes, outputs=mask)
unet.summary()
