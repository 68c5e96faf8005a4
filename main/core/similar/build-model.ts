// `npm run build:model`: converts the MobileNetV2 (width 1.4, 224×224) feature extractor that
// ships inside the nsfwjs npm package (TF.js graph, uint8-quantized weights) into an ONNX model
// for onnxruntime-node, written to build/models/. Nothing is downloaded: the weights are in
// node_modules. License terms: resources/models/README.md.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL } from './model-path.js';
import { convertToOnnx, readWeights, type TfjsGraphModel } from './tfjs-to-onnx.js';
import { writeFileAtomic } from '../atomic-write.js';

const require = createRequire(import.meta.url);

/** The node whose output is the pooled 1792-d feature vector (before the classifier head). */
export const FEATURE_NODE = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/feature_vector/SpatialSqueeze';

/** Where nsfwjs keeps the TF.js files of a model. */
export function nsfwjsModelDir(name = 'mobilenet_v2_mid'): string {
  return path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models', name);
}

/** Loads the TF.js model (its UMD modules export model.json and base64 weight shards). */
export function loadTfjsModel(dir = nsfwjsModelDir()): { model: TfjsGraphModel; weightData: Buffer } {
  const model = require(path.join(dir, 'model.min.js')) as TfjsGraphModel;
  const shards = model.weightsManifest.flatMap((m) => m.paths).map((p) => Buffer.from(require(path.join(dir, `${p}.min.js`)) as string, 'base64'));
  return { model, weightData: Buffer.concat(shards) };
}


/**
 * True when `out` is newer than everything it is made from (the TF.js files and this
 * converter): `npm run build` (and so `npm start`, `npm test`) then skips the conversion.
 */
export function modelUpToDate(out: string, dir = nsfwjsModelDir()): boolean {
  const built = fs.statSync(out, { throwIfNoEntry: false });
  if (!built) return false;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const inputs = [...fs.readdirSync(dir).map((f) => path.join(dir, f)), path.join(here, 'build-model.js'), path.join(here, 'tfjs-to-onnx.js')];
  return inputs.every((f) => fs.statSync(f).mtimeMs <= built.mtimeMs);
}

function main(): void {
  const out = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? DEFAULT_MODEL;
  if (!process.argv.includes('--force') && modelUpToDate(out)) return;
  const { model, weightData } = loadTfjsModel();
  const weights = readWeights(model, weightData);
  const bytes = convertToOnnx(model, weights, FEATURE_NODE, {
    source: 'nsfwjs@4.4.0 dist/models/mobilenet_v2_mid (TF-Hub MobileNetV2 1.4 224 feature extractor)',
    license: 'MIT (nsfwjs); MobileNetV2 weights: Apache-2.0 (TensorFlow Hub)',
    preprocessing: 'RGB, 224x224, NHWC float32 in [0,1]',
  });
  writeFileAtomic(out, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');
  process.stdout.write(`model: ${out} (${(bytes.length / 1e6).toFixed(1)} MB, sha256 ${sha.slice(0, 12)})\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
