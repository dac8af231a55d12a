"""Loads Keras 3 .keras files with keras.saving.load_model, as a notebook does, and prints each one's predictions.

KerasExportTest runs it on what `streamcast export --format keras` writes. usage: KERAS_BACKEND=jax python
keras_predict.py CASES.json, where CASES.json is [{"model": "x.keras", "inputs": [...]}, ...]; prints a JSON array
with, for each case in order, {"float32": outputs, "float64": outputs}: "float32" is the loaded model's own predict,
"float64" the same model (its configuration and the weights load_model read) with every layer in float64 (JAX x64),
what a float64 implementation computes, as make_more_fixtures.py computes its references.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax

jax.config.update("jax_enable_x64", True)
import keras
import numpy as np

cases = json.load(open(sys.argv[1]))
results = []
for case in cases:
    model = keras.saving.load_model(case["model"])
    x = np.array(case["inputs"], dtype="float64")
    y32 = model.predict(x.astype(np.float32), verbose=0)
    config = model.get_config()
    for layer in config["layers"]:
        layer["config"]["dtype"] = "float64"
    model64 = keras.Sequential.from_config(config)
    model64.set_weights([w.astype(np.float64) for w in model.get_weights()])
    y64 = model64.predict(x, verbose=0)
    results.append({"float32": np.asarray(y32, dtype="float64").tolist(), "float64": y64.tolist()})
print(json.dumps(results))
