import os from 'node:os';
import { blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import type { DecodedImage } from './embed.js';
import { F16_TABLE, toF16 } from './f16.js';
import { encodeFeatures } from './image-features.js';
import { runQueue } from '../work-queue.js';

/** Images per inference call: the model's time per image is the same at batch 1 to 8 (~15 ms), memory is not. */
const EMBED_BATCH = 4;

/** What one index pass works on: images by content hash. */
export interface PendingImage {
  hash: string;
  mediaType: string;
}

/**
 * Embeds one chunk of images and commits it in one transaction (resumable chunk by chunk).
 * [Note: One decode for the model] Decoding runs in the ingest threads, as many at once as
 * there are threads; every 4 decoded images go to the one model thread while the next ones
 * decode, so the model never waits for a whole chunk and the decoders never wait for the model.
 * A file that can't be decoded is recorded once and not retried for this model.
 */
export async function embedChunk(ctx: EngineContext, modelPath: string, modelId: string, todo: PendingImage[]): Promise<void> {
  const results = new Array<({ ok: true; vector: Float32Array } & DecodedImage) | { ok: false; message: string }>(todo.length);
  const ready: Array<{ i: number; d: DecodedImage }> = [];
  const inferring: Array<Promise<void>> = [];
  const flush = () => {
    const batch = ready.splice(0, ready.length);
    inferring.push(
      ctx.pool.infer({ modelPath, images: batch.map((b) => b.d.pixels) }).then((vectors) => {
        batch.forEach((b, k) => (results[b.i] = { ok: true, vector: vectors[k]!, ...b.d }));
      }),
    );
  };
  // one decode per core: more only adds libvips buffers in memory, not speed (the cores are full)
  await runQueue(todo, async (img, i) => {
    const d = await ctx.pool.decodeImage({ path: blobPath(ctx.paths.objects, img.hash), mediaType: img.mediaType });
    if (!d.ok) results[i] = d;
    else {
      ready.push({ i, d });
      if (ready.length >= EMBED_BATCH) flush();
    }
  }, { concurrency: Math.min(ctx.pool.threads, os.availableParallelism()) });
  if (ready.length) flush();
  await Promise.all(inferring);
  const now = ctx.now();
  ctx.cdb.write(() => {
    const db = ctx.cdb.db;
    const putVector = db.prepare('INSERT OR REPLACE INTO embeddings (blob_hash, model_id, dim, vector, created_at, features) VALUES (?, ?, ?, ?, ?, ?)');
    const putSize = db.prepare('UPDATE files SET width = COALESCE(width, ?), height = COALESCE(height, ?) WHERE blob_hash = ?');
    const putFailure = db.prepare('INSERT OR REPLACE INTO embedding_failures (blob_hash, model_id, message) VALUES (?, ?, ?)');
    results.forEach((r, i) => {
      const hash = todo[i]!.hash;
      if (r.ok) {
        const h = toF16(r.vector);
        putVector.run(hash, modelId, r.vector.length, Buffer.from(h.buffer, h.byteOffset, h.byteLength), now, encodeFeatures(r.features));
        putSize.run(r.width, r.height, hash);
      } else putFailure.run(hash, modelId, r.message.slice(0, 500));
    });
  });
}

/** Cosine of two normalized half-precision vectors. */
export function cosineF16(a: Uint16Array, b: Uint16Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += F16_TABLE[a[i]!]! * F16_TABLE[b[i]!]!;
  return dot;
}
