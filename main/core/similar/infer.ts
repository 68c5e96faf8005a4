import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { INPUT, decodeTask } from './embed.js';
import type { ImageFeatures } from './image-features.js';
import { runQueue } from '../work-queue.js';

let session: { path: string; session: Promise<ort.InferenceSession> } | undefined;

/**
 * One inference session per model thread, with one intra-op thread and no memory arena: the
 * decoders are the bottleneck (60–70 ms per 12 MP JPEG against ~18 ms of model), and without
 * the arena a session holds ~106 MB at a batch of 1 (measured, 2-core VM; 'all' graph
 * optimizations: 'extended' saves 44 MB but doubles the model's time).
 */
function getSession(modelPath: string): Promise<ort.InferenceSession> {
  if (session?.path !== modelPath) {
    session = { path: modelPath, session: ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', enableCpuMemArena: false, enableMemPattern: false }) };
  }
  return session.session;
}

/** Runs the model on decoded images (one batched inference); returns L2-normalized vectors. */
export async function inferBatch(modelPath: string, images: Uint8Array[]): Promise<Float32Array[]> {
  const s = await getSession(modelPath);
  const px = INPUT * INPUT * 3;
  const input = new Float32Array(images.length * px);
  images.forEach((img, k) => {
    for (let i = 0; i < px; i++) input[k * px + i] = img[i]! / 255;
  });
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', input, [images.length, INPUT, INPUT, 3]) });
  const feats = out[s.outputNames[0]!]!;
  const dim = feats.dims[1]!;
  const data = feats.data as Float32Array;
  return images.map((_, k) => {
    const v = new Float32Array(data.subarray(k * dim, (k + 1) * dim));
    let n = 0;
    for (let j = 0; j < dim; j++) n += v[j]! * v[j]!;
    n = Math.sqrt(n) || 1;
    for (let j = 0; j < dim; j++) v[j] = v[j]! / n;
    return v;
  });
}

/** What embedding one image gave. Plain data: it crosses the worker boundary. */
export type EmbedResult = { ok: true; vector: Float32Array; width: number; height: number; features: ImageFeatures } | { ok: false; message: string; forNow?: boolean };

/** Images to embed, and how many to decode at once. */
export interface EmbedTask {
  modelPath: string;
  items: Array<{ path: string; mediaType: string }>;
  /** Where a HEIC converted by the system's libheif may be written (the process's temp folder); without it, HEICs are decoded in this thread. */
  tmpDir?: string;
  /** Decodes in flight (default: two per core). */
  lanes?: number;
}

/**
 * Decodes and embeds images in this thread (the model's thread; tests and the calibration
 * script call it directly). [Note: One decode for the model] libvips decodes on its own
 * native threads, `lanes` images at a time, while this thread runs the model on each image as
 * soon as it is decoded — so the decoders never wait for a batch and the model never waits for
 * a whole chunk. At most `lanes` decoded images wait for the model. One thread for both:
 * decoding in the ingest threads cost two more JS isolates and a copy of every image across
 * threads (issue #17). A file that can't be decoded is reported as data; a model failure
 * rejects.
 * Two decodes per core by default: onnxruntime-node runs the model synchronously on this
 * thread, ~18 ms per image, and a decode that ends meanwhile cannot start the next one until
 * the model returns; with one decode per core the decoders sat idle for that long after every
 * image. Measured on 64 JPEGs of 12 MP, 2 cores: one per core 3.50–3.55 s, three in all
 * 3.24–3.34 s, two per core 3.10–3.24 s, for 10–20 MB more peak memory (a decode at 1/8 scale
 * is small; HEIC decodes hold a full image but run one at a time, on this thread).
 */
export async function embedFiles(task: EmbedTask): Promise<EmbedResult[]> {
  const { modelPath, items } = task;
  const lanes = Math.max(1, Math.min(task.lanes ?? 2 * os.availableParallelism(), items.length));
  const results = new Array<EmbedResult>(items.length);
  let model: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  let queued = 0;
  await runQueue(items, async (item, i) => {
    const d = await decodeTask(item.path, item.mediaType, task.tmpDir);
    if (!d.ok) {
      results[i] = d;
      return;
    }
    // the model runs one image at a time, in decode order
    queued++;
    const run = model.then(async () => {
      if (failure !== undefined) return;
      const [vector] = await inferBatch(modelPath, [d.pixels]);
      results[i] = { ok: true, vector: vector!, width: d.width, height: d.height, features: d.features };
    });
    model = run.catch((err: unknown) => void (failure ??= err instanceof Error ? err : new Error(String(err)))).finally(() => queued--);
    while (queued > lanes) await model;
  }, { concurrency: lanes, shouldStop: () => failure !== undefined });
  await model;
  if (failure !== undefined) throw failure;
  return results;
}
