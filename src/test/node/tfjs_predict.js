// Loads a TensorFlow.js layers model from a folder (model.json and the weight files its manifest lists) with
// tf.loadLayersModel, as TF.js reads any layers model, and prints its predictions for a JSON array of inputs as a JSON
// array of outputs. TfjsExportTest runs it on what `streamcast export --format tfjs` writes.
// usage: node tfjs_predict.js MODEL_DIR INPUTS.json
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');

const [dir, inputsFile] = process.argv.slice(2);

// The file:// handler is tfjs-node's; this is the same reading for plain @tensorflow/tfjs: model.json, then each
// manifest group's files end to end.
const fileHandler = {
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
};

(async () => {
  const model = await tf.loadLayersModel(fileHandler);
  const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
  const outputs = model.predict(tf.tensor(inputs, undefined, 'float32')).arraySync();
  process.stdout.write(JSON.stringify(outputs) + '\n');
})().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
