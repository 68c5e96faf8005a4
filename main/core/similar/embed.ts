import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import sharp, { type Sharp } from 'sharp';

/** The model's input size. */
export const INPUT = 224;

let session: { path: string; session: Promise<ort.InferenceSession> } | undefined;

/** One inference session per worker thread, with one intra-op thread: the pool gives the parallelism, the machine stays usable. */
function getSession(modelPath: string): Promise<ort.InferenceSession> {
  if (session?.path !== modelPath) {
    session = { path: modelPath, session: ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' }) };
  }
  return session.session;
}

/** Decodes an image (HEIC through heic-decode; EXIF orientation applied) to 224×224 RGB floats in [0,1], NHWC; returns its upright size. */
export async function preprocess(file: string, mediaType: string, out: Float32Array, offset: number): Promise<{ width: number; height: number }> {
  let img: Sharp;
  let size: { width: number; height: number };
  if (/^image\/hei[cf]/.test(mediaType)) {
    const d = await (await loadHeicDecoder())({ buffer: fs.readFileSync(file) });
    img = sharp(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength), { raw: { width: d.width, height: d.height, channels: 4 } });
    size = { width: d.width, height: d.height };
  } else {
    img = sharp(file, { limitInputPixels: 200_000_000, failOn: 'error' }).autoOrient();
    const m = await img.metadata();
    const swap = (m.orientation ?? 1) >= 5;
    size = { width: (swap ? m.height : m.width) ?? 0, height: (swap ? m.width : m.height) ?? 0 };
  }
  const raw = await img.removeAlpha().toColourspace('srgb').resize(INPUT, INPUT, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
  for (let i = 0; i < INPUT * INPUT * 3; i++) out[offset + i] = raw[i]! / 255;
  return size;
}

/** What embedding a batch gave, per image. Plain data: it crosses the worker boundary. */
export type EmbedResult = { ok: true; vector: Float32Array; width: number; height: number } | { ok: false; message: string };

/**
 * Embeds a batch of images: decode and resize each (a file that fails is reported, the others
 * go on), one batched inference, L2-normalized vectors.
 */
export async function embedBatch(modelPath: string, items: Array<{ path: string; mediaType: string }>): Promise<EmbedResult[]> {
  const s = await getSession(modelPath);
  const results = new Array<EmbedResult>(items.length);
  const input = new Float32Array(items.length * INPUT * INPUT * 3);
  const ok: number[] = [];
  const sizes: Array<{ width: number; height: number }> = [];
  for (let i = 0; i < items.length; i++) {
    try {
      sizes[i] = await preprocess(items[i]!.path, items[i]!.mediaType, input, ok.length * INPUT * INPUT * 3);
      ok.push(i);
    } catch (err) {
      results[i] = { ok: false, message: (err as Error).message };
    }
  }
  if (ok.length === 0) return results;
  const tensor = new ort.Tensor('float32', input.subarray(0, ok.length * INPUT * INPUT * 3), [ok.length, INPUT, INPUT, 3]);
  const out = await s.run({ [s.inputNames[0]!]: tensor });
  const feats = out[s.outputNames[0]!]!;
  const dim = feats.dims[1]!;
  const data = feats.data as Float32Array;
  ok.forEach((orig, k) => {
    const v = new Float32Array(data.subarray(k * dim, (k + 1) * dim));
    let n = 0;
    for (let j = 0; j < dim; j++) n += v[j]! * v[j]!;
    n = Math.sqrt(n) || 1;
    for (let j = 0; j < dim; j++) v[j] = v[j]! / n;
    results[orig] = { ok: true, vector: v, ...sizes[orig]! };
  });
  return results;
}

/**
 * heic-decode, loaded on first use: it instantiates libheif's WebAssembly (reserving gigabytes of
 * address space) when loaded, which failed every worker thread at start under a low `ulimit -v`
 * even for work that never meets a HEIC (export, upload hashing).
 */
async function loadHeicDecoder(): Promise<typeof import('heic-decode').default> {
  return (await import('heic-decode')).default;
}
