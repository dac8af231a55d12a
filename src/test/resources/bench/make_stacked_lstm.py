"""Writes stacked.keras and trained.keras: the stacked LSTM docs/keras.md "Speed" times.

LSTM(128, return_sequences) -> LSTM(64) -> Dense(1) on (100, 1), 116,033 parameters; trained.keras is saved after
one epoch of Adam, so it carries the optimizer's state too (1.4 MB, as a notebook's model.save writes it).
Run where Keras 3 is installed (docs/keras.md, How it is checked):
    KERAS_BACKEND=jax python make_stacked_lstm.py OUTDIR
"""
import os
import sys

os.environ.setdefault('KERAS_BACKEND', 'jax')
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

out = sys.argv[1] if len(sys.argv) > 1 else '.'
keras.utils.set_random_seed(1)
model = keras.Sequential([keras.Input((100, 1)), layers.LSTM(128, return_sequences=True), layers.LSTM(64),
                          layers.Dense(1)])
model.save(os.path.join(out, 'stacked.keras'))
x = np.random.default_rng(2).uniform(-1, 1, (3, 100, 1)).astype(np.float32)
model.compile(optimizer='adam', loss='mse')
model.fit(x, np.zeros((3, 1)), epochs=1, verbose=0)
model.save(os.path.join(out, 'trained.keras'))
