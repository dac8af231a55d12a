// Loads TensorFlow.js layers models from their folders (model.json and the weight files its manifest lists) with
// tf.loadLayersModel, as TF.js reads any layers model, and prints their predictions. KerasExportTest runs it on what
// `streamcast export --format tfjs` writes. usage: node tfjs_predict.js CASES.json, where CASES.json is
// [{"model": "DIR", "inputs": [...]}, ...]; prints a JSON array with each case's outputs, in the cases' order.
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));

// The file:// handler is tfjs-node's; this is the same reading for plain @tensorflow/tfjs: model.json, then each
// manifest group's files end to end.
const fileHandler = (dir) => ({
  load: async () => {
    const model = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const specs = [];
    const buffers = [];
    for (const group of model.weightsManifest) {
      specs.push(...group.weights);
      for (const p of group.paths) {
        buffers.push(fs.readFileSync(path.join(dir, p)));
      }
    }
    const data = Buffer.concat(buffers);
    return {
      modelTopology: model.modelTopology,
      weightSpecs: specs,
      weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
      format: model.format,
      generatedBy: model.generatedBy,
    };
  },
});

(async () => {
  const results = [];
  for (const c of cases) {
    const model = await tf.loadLayersModel(fileHandler(c.model));
    results.push(model.predict(tf.tensor(c.inputs, undefined, 'float32')).arraySync());
  }
  process.stdout.write(JSON.stringify(results) + '\n');
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
