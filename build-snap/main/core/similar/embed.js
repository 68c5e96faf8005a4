import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { loadHeicDecoder } from '../media/heic.js';
import sharp from 'sharp';
import { imageFeatures } from './image-features.js';
/** The model's input size. */
export const INPUT = 224;
let session;
/**
 * One inference session per model thread, with one intra-op thread and no memory arena: the
 * decoders are the bottleneck (60 ms per 12 MP JPEG against 15 ms of model), and without the
 * arena a session holds ~110 MB instead of ~185 MB at a batch of 4 (measured, 2-core VM).
 */
function getSession(modelPath) {
    if (session?.path !== modelPath) {
        session = { path: modelPath, session: ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', enableCpuMemArena: false, enableMemPattern: false }) };
    }
    return session.session;
}
/**
 * Decodes an image straight to the model's 224×224 RGB (HEIC through heic-decode; EXIF
 * orientation applied). [Note: One decode for the model]
 * One libvips pipeline: the JPEG loader shrinks on load (a 12 MP file decodes at 1/8 scale),
 * orientation is applied to the small image, and the header read for the size costs 0.6 ms; the
 * whole step runs at the speed of sharp's own `resize(224, 224)` of the same file (measured
 * 58–60 ms each on 12 MP JPEGs, one libvips thread).
 */
export async function decodeForModel(file, mediaType) {
    let img;
    let size;
    if (/^image\/hei[cf]/.test(mediaType)) {
        const d = await (await loadHeicDecoder())({ buffer: fs.readFileSync(file) });
        img = sharp(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength), { raw: { width: d.width, height: d.height, channels: 4 } });
        size = { width: d.width, height: d.height };
    }
    else {
        img = sharp(file, { limitInputPixels: 200_000_000, failOn: 'error', sequentialRead: true }).autoOrient();
        const m = await img.metadata();
        const swap = (m.orientation ?? 1) >= 5;
        size = { width: (swap ? m.height : m.width) ?? 0, height: (swap ? m.width : m.height) ?? 0 };
    }
    const raw = await img.removeAlpha().toColourspace('srgb').resize(INPUT, INPUT, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
    const pixels = new Uint8Array(raw.buffer, raw.byteOffset, INPUT * INPUT * 3);
    return { pixels, ...size, features: imageFeatures(pixels, INPUT, INPUT) };
}
/** Decodes an image to 224×224 RGB floats in [0,1], NHWC, at `offset` of `out`; returns its upright size. */
export async function preprocess(file, mediaType, out, offset) {
    const d = await decodeForModel(file, mediaType);
    for (let i = 0; i < INPUT * INPUT * 3; i++)
        out[offset + i] = d.pixels[i] / 255;
    return { width: d.width, height: d.height };
}
/** Runs the model on decoded images (one batched inference); returns L2-normalized vectors. */
export async function inferBatch(modelPath, images) {
    const s = await getSession(modelPath);
    const px = INPUT * INPUT * 3;
    const input = new Float32Array(images.length * px);
    images.forEach((img, k) => {
        for (let i = 0; i < px; i++)
            input[k * px + i] = img[i] / 255;
    });
    const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', input, [images.length, INPUT, INPUT, 3]) });
    const feats = out[s.outputNames[0]];
    const dim = feats.dims[1];
    const data = feats.data;
    return images.map((_, k) => {
        const v = new Float32Array(data.subarray(k * dim, (k + 1) * dim));
        let n = 0;
        for (let j = 0; j < dim; j++)
            n += v[j] * v[j];
        n = Math.sqrt(n) || 1;
        for (let j = 0; j < dim; j++)
            v[j] = v[j] / n;
        return v;
    });
}
/** Decodes one image for the model; a file that fails is reported as data, never thrown. */
export async function decodeTask(file, mediaType) {
    try {
        return { ok: true, ...(await decodeForModel(file, mediaType)) };
    }
    catch (err) {
        return { ok: false, message: err.message };
    }
}
/** Decodes and embeds a batch of images in this thread (tests, the calibration script). */
export async function embedBatch(modelPath, items) {
    const decoded = await Promise.all(items.map((i) => decodeTask(i.path, i.mediaType)));
    const ok = decoded.flatMap((d) => (d.ok ? [d] : []));
    const vectors = ok.length ? await inferBatch(modelPath, ok.map((d) => d.pixels)) : [];
    let k = 0;
    return decoded.map((d) => (d.ok ? { ok: true, vector: vectors[k++], width: d.width, height: d.height, features: d.features } : d));
}
//# sourceMappingURL=embed.js.map