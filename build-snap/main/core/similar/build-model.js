// `npm run build:model`: converts the MobileNetV2 (width 1.4, 224×224) feature extractor that
// ships inside the nsfwjs npm package (TF.js graph, uint8-quantized weights) into an ONNX model
// for onnxruntime-node, written to build/models/. Nothing is downloaded: the weights are in
// node_modules. License terms: resources/models/README.md.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL } from './model-path.js';
import { convertToOnnx, readWeights } from './tfjs-to-onnx.js';
import { writeFileAtomic } from '../atomic-write.js';
const require = createRequire(import.meta.url);
/** The node whose output is the pooled 1792-d feature vector (before the classifier head). */
export const FEATURE_NODE = 'StatefulPartitionedCall/sequential/keras_layer/StatefulPartitionedCall/StatefulPartitionedCall/StatefulPartitionedCall/predict/feature_vector/SpatialSqueeze';
/** Where nsfwjs keeps the TF.js files of a model. */
export function nsfwjsModelDir(name = 'mobilenet_v2_mid') {
    return path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models', name);
}
/** Loads the TF.js model (its UMD modules export model.json and base64 weight shards). */
export function loadTfjsModel(dir = nsfwjsModelDir()) {
    const model = require(path.join(dir, 'model.min.js'));
    const shards = model.weightsManifest.flatMap((m) => m.paths).map((p) => Buffer.from(require(path.join(dir, `${p}.min.js`)), 'base64'));
    return { model, weightData: Buffer.concat(shards) };
}
function main() {
    const out = process.argv[2] ?? DEFAULT_MODEL;
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
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]))
    main();
//# sourceMappingURL=build-model.js.map