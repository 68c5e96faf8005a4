import { fileURLToPath } from 'node:url';
/** The image model `npm run build:model` writes (build/models/), found relative to this module in the build tree. */
export const DEFAULT_MODEL = fileURLToPath(new URL('../../../models/mobilenet_v2_mid-features.onnx', import.meta.url));
/** The model to use: SHOEBOX_MODEL, else the built one. */
export function resolveModelPath(explicit, env = process.env) {
    return explicit ?? env.SHOEBOX_MODEL ?? DEFAULT_MODEL;
}
//# sourceMappingURL=model-path.js.map