# More Keras-made fixtures for streamcast import, beside ../made-by-keras (which the project's shared
# make_fixtures.py made): what they do not cover (elu, selu, softplus, softsign, swish/silu, gelu inside
# recurrent layers, recurrent activations other than sigmoid, stacked GRU and SimpleRNN, two outputs, no biases, a
# long window, a Functional chain), each saved by Keras 3 as .keras and .h5 with the outputs Keras's own predict gives;
# and models import must refuse (Bidirectional, go_backwards, Flatten, Masking, a branching Functional model), saved
# as .keras only, without references.
# "outputs" are Keras's predict on the same float32 weights with every layer in float64 (JAX x64), so that they hold
# what a float64 implementation computes to 1e-7 or better; "outputs_float32" are the float32 model's, which a deep stack of
# saturating activations can move by 1e-6 relative.
# usage: KERAS_BACKEND=jax python make_more_fixtures.py OUTDIR   (Keras 3.15.1 on JAX, installed offline from the
# machine's wheel directory: pip install --no-index --find-links DIR keras jax jaxlib h5py)
import json, os, sys
os.environ.setdefault('KERAS_BACKEND', 'jax')
import jax
jax.config.update('jax_enable_x64', True)
import numpy as np, keras
from keras import layers as L
out = sys.argv[1]; os.makedirs(out, exist_ok=True); keras.utils.set_random_seed(23)
models = {
  'lstm-elu-tanh-recurrent': lambda: [keras.Input((5, 2)), L.LSTM(6, activation='elu', recurrent_activation='tanh'),
                                      L.Dense(1)],
  'gru-selu-softplus-stack': lambda: [keras.Input((6, 3)),
                                      L.GRU(5, activation='selu', recurrent_activation='softsign', reset_after=False,
                                            return_sequences=True),
                                      L.SimpleRNN(4, activation='softplus'), L.Dense(1, activation='gelu')],
  'simple-rnn-swish-two-outputs': lambda: [keras.Input((4, 2)),
                                           L.SimpleRNN(6, activation='swish', return_sequences=True),
                                           L.SimpleRNN(3, activation='silu'), L.Dense(2)],
  'gru-hard-sigmoid-sequences': lambda: [keras.Input((7, 1)),
                                         L.GRU(4, recurrent_activation='hard_sigmoid', return_sequences=True),
                                         L.Dropout(0.3), L.GRU(3, activation='relu'), L.Dense(1)],
  'lstm-no-bias': lambda: [keras.Input((3, 1)), L.LSTM(4, use_bias=False), L.Dense(1, use_bias=False)],
  'lstm-long-window': lambda: [keras.Input((40, 1)), L.LSTM(16, return_sequences=True), L.LSTM(8), L.Dense(1)],
}
refused = {
  'refused-bidirectional': lambda: [keras.Input((4, 1)), L.Bidirectional(L.LSTM(3)), L.Dense(1)],
  'refused-go-backwards': lambda: [keras.Input((4, 1)), L.LSTM(3, go_backwards=True), L.Dense(1)],
  'refused-flatten': lambda: [keras.Input((4, 1)), L.LSTM(3, return_sequences=True), L.Flatten(), L.Dense(1)],
  'refused-masking': lambda: [keras.Input((4, 1)), L.Masking(0.0), L.LSTM(3), L.Dense(1)],
}
rng = np.random.default_rng(29)
for name, build in models.items():
    m = keras.Sequential(build())
    m.set_weights([rng.normal(0, 0.5, w.shape).astype(np.float32) for w in m.get_weights()])
    shape = m.input_shape[1:]; x = rng.uniform(-1, 1, (6,) + tuple(shape)).astype(np.float32)
    y = m.predict(x, verbose=0)
    m.save(os.path.join(out, name + '.keras')); m.save(os.path.join(out, name + '.h5'))
    for f in (name + '.keras', name + '.h5'):   # Keras reads back what it wrote and agrees with itself
        y2 = keras.models.load_model(os.path.join(out, f), compile=False).predict(x, verbose=0)
        assert np.allclose(y, y2, atol=1e-6), f
    config = m.get_config()
    for layer in config['layers']:
        layer['config']['dtype'] = 'float64'
    m64 = keras.Sequential.from_config(config)
    m64.set_weights([w.astype(np.float64) for w in m.get_weights()])
    y64 = m64.predict(x.astype(np.float64), verbose=0)
    json.dump({'file': [name + '.keras', name + '.h5'], 'keras_version': keras.__version__, 'backend': 'jax',
               'input_shape': list(shape), 'inputs': x.astype(np.float64).tolist(),
               'outputs': y64.tolist(), 'outputs_float32': y.astype(np.float64).tolist()},
              open(os.path.join(out, name + '.reference.json'), 'w'))
    print(name, list(shape), [l.__class__.__name__ for l in m.layers])
for name, build in refused.items():
    m = keras.Sequential(build())
    m.save(os.path.join(out, name + '.keras'))
    print(name, [l.__class__.__name__ for l in m.layers])
# A Functional model that is one chain of layers imports as the Sequential model it is; one that branches is refused.
rng = np.random.default_rng(31)
inputs = keras.Input((6, 2))
chain = keras.Model(inputs, L.Dense(1)(L.GRU(4)(L.LSTM(5, return_sequences=True)(inputs))))
chain.set_weights([rng.normal(0, 0.5, w.shape).astype(np.float32) for w in chain.get_weights()])
x = rng.uniform(-1, 1, (6, 6, 2)).astype(np.float32)
y = chain.predict(x, verbose=0)
chain.save(os.path.join(out, 'functional-chain.keras')); chain.save(os.path.join(out, 'functional-chain.h5'))
for f in ('functional-chain.keras', 'functional-chain.h5'):
    assert np.allclose(y, keras.models.load_model(os.path.join(out, f), compile=False).predict(x, verbose=0), atol=1e-6)
config = chain.get_config()
for layer in config['layers']:
    layer['config']['dtype'] = 'float64'
chain64 = keras.Model.from_config(config)
chain64.set_weights([w.astype(np.float64) for w in chain.get_weights()])
json.dump({'file': ['functional-chain.keras', 'functional-chain.h5'], 'keras_version': keras.__version__,
           'backend': 'jax', 'input_shape': [6, 2], 'inputs': x.astype(np.float64).tolist(),
           'outputs': chain64.predict(x.astype(np.float64), verbose=0).tolist(),
           'outputs_float32': y.astype(np.float64).tolist()},
          open(os.path.join(out, 'functional-chain.reference.json'), 'w'))
branch_in = keras.Input((4, 1))
state = L.LSTM(3)(branch_in)
keras.Model(branch_in, L.Dense(1)(L.Add()([L.Dense(2)(state), L.Dense(2)(state)]))).save(
    os.path.join(out, 'refused-functional-branch.keras'))
print('functional-chain [6, 2]; refused-functional-branch')
