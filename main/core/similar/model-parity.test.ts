// The converted model computes what the original does (issue #8): real photos through the
// TF.js graph in nsfwjs (run by the pure-JS @tensorflow/tfjs) and through our ONNX model in
// onnxruntime-node give the same 1792-d features. Tolerance: cosine ≥ 0.99999 and every
// component of the normalized vectors within 1e-5.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { realPhotosDir } from '../../../test/support/real-photos.js';
import { FEATURE_NODE, loadTfjsModel } from './build-model.js';
import { preprocess } from './embed.js';
import { embedFiles } from './infer.js';
import { DEFAULT_MODEL } from './model-path.js';

const photos = realPhotosDir();

describe('model conversion parity (TF.js → ONNX)', { skip: 'missing' in photos && photos.missing }, () => {
  it('gives the same features on real photos', async (t) => {
    const dir = 'dir' in photos ? photos.dir : '';
    await tf.setBackend('cpu');
    const { model, weightData } = loadTfjsModel();
    const gm = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: model.weightsManifest.flatMap((m) => m.weights), weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.length) }));
    for (const f of ['chelsea.png', 'coffee.png', 'rocket.jpg', 'astronaut.png']) {
      const input = new Float32Array(224 * 224 * 3);
      await preprocess(path.join(dir, f), 'image/png', input, 0);
      const ref = await (gm.execute(tf.tensor4d(input, [1, 224, 224, 3]), FEATURE_NODE) as tf.Tensor).data();
      let sq = 0;
      for (let i = 0; i < ref.length; i++) sq += ref[i]! * ref[i]!;
      const norm = Math.sqrt(sq);
      const [r] = await embedFiles({ modelPath: DEFAULT_MODEL, items: [{ path: path.join(dir, f), mediaType: 'image/png' }] });
      assert.ok(r?.ok);
      let cos = 0;
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) {
        cos += (ref[i]! / norm) * r.vector[i]!;
        maxDiff = Math.max(maxDiff, Math.abs(ref[i]! / norm - r.vector[i]!));
      }
      t.diagnostic(`${f}: cosine ${cos.toFixed(8)}, max |Δ| ${maxDiff.toExponential(2)}`);
      assert.equal(ref.length, 1792);
      assert.ok(cos >= 0.99999, `${f}: cosine ${cos}`);
      assert.ok(maxDiff < 1e-5, `${f}: max difference ${maxDiff}`);
    }
  });
});
