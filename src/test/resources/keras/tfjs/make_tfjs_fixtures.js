// TF.js layers models for streamcast import (src/test/resources/keras/tfjs): saved as model.json + weights.bin, the
// layers-model format, with the outputs TF.js 4.22 computes. usage: npm install @tensorflow/tfjs@4.22.0; node make_tfjs_fixtures.js OUTDIR
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');
const out = process.argv[2];
function rng(seed) { let s = seed; return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; }; }
const models = {
  'tfjs-lstm-gru': () => tf.sequential({layers: [
    tf.layers.lstm({units: 6, returnSequences: true, inputShape: [5, 2]}),
    tf.layers.gru({units: 4, activation: 'relu', recurrentActivation: 'hardSigmoid'}),
    tf.layers.dropout({rate: 0.2}),
    tf.layers.dense({units: 1})]}),
  'tfjs-simple-rnn-dense': () => tf.sequential({layers: [
    tf.layers.simpleRNN({units: 5, activation: 'selu', inputShape: [4, 1]}),
    tf.layers.dense({units: 3, activation: 'elu'}), tf.layers.dense({units: 1, activation: 'softplus'})]}),
};
(async () => {
  for (const [name, build] of Object.entries(models)) {
    const r = rng(7);
    const m = build();
    m.setWeights(m.getWeights().map(w => tf.tensor(Array.from({length: w.size}, () => (r() - 0.5)), w.shape)));
    const shape = m.inputs[0].shape.slice(1);
    const inputs = Array.from({length: 6}, (_, i) => tf.randomUniform(shape, -1, 1, 'float32', 3 + i).arraySync());
    const outputs = m.predict(tf.tensor(inputs)).arraySync();
    const dir = path.join(out, name);
    fs.mkdirSync(dir, {recursive: true});
    await m.save(tf.io.withSaveHandler(async (artifacts) => {
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
        format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers v' + tf.version['tfjs-layers'],
        convertedBy: null, modelTopology: artifacts.modelTopology,
        weightsManifest: [{paths: ['weights.bin'], weights: artifacts.weightSpecs}]}));
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    fs.writeFileSync(path.join(dir, 'reference.json'), JSON.stringify({
      file: 'model.json', keras_version: 'tfjs-layers ' + tf.version['tfjs-layers'], input_shape: shape,
      inputs: inputs, outputs: outputs}));
    console.log(name, shape);
  }
})();
