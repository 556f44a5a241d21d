# source: https://github.com/ellisdg/3DUnetCNN/issues/228 — AttributeError: module 'keras.backend' has no attribute 'set_image_dim_ordering'
# written-for: keras 2.2.4 code run on keras 2.3
# runs-with: keras3
# expect: nothing

from keras import backend as K
from keras.models import Model
from keras.layers import Input, Conv3D, MaxPooling3D, UpSampling3D, concatenate

K.set_image_data_format("channels_first")

volumes = Input((4, 32, 32, 32))
enc = Conv3D(8, (3, 3, 3), activation="relu", padding="same")(volumes)
down = MaxPooling3D(pool_size=(2, 2, 2))(enc)
mid = Conv3D(16, (3, 3, 3), activation="relu", padding="same")(down)
up = UpSampling3D(size=(2, 2, 2))(mid)
joined = concatenate([up, enc], axis=1)
mask = Conv3D(1, (1, 1, 1), activation="sigmoid")(joined)
unet = Model(inputs=volumes, outputs=mask)
unet.summary()
K.set_image_data_format("channels_last")
