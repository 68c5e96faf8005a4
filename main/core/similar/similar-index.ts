import { setBlobState } from '../blobs/blob-health.js';
import { blobFileState, blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, errorMessage } from '../errors.js';
import { injectFault } from '../faults.js';
import { F16_TABLE, toF16 } from './f16.js';
import { encodeFeatures } from './image-features.js';

/** What one index pass works on: images by content hash. */
export interface PendingImage {
  hash: string;
  mediaType: string;
}

/**
 * Embeds one chunk of images and commits it in one transaction (resumable chunk by chunk).
 * [Note: One decode for the model] Decoding and the model both run in the model's thread
 * (see embedFiles): libvips decodes one image per core on its native threads while the model
 * runs on the images already decoded. A file that can't be decoded is recorded once and not
 * retried for this model; a failure of the moment (`forNow`) is not recorded and is returned.
 */
export async function embedChunk(ctx: EngineContext, modelPath: string, modelId: string, todo: PendingImage[]): Promise<{ recorded: number; forNow: string[] }> {
  let results: Awaited<ReturnType<typeof ctx.pool.embed>>;
  try {
    results = await ctx.pool.embed({ modelPath, tmpDir: ctx.tmpDir, items: todo.map((t) => ({ path: blobPath(ctx.paths.objects, t.hash), mediaType: t.mediaType })) });
  } catch (err) {
    throw modelLoadError(err, modelPath) ?? err;
  }
  const forNow = todo.filter((_, i) => { const r = results[i]!; return !r.ok && r.forNow === true; }).map((t) => t.hash);
  // A file that failed for now may be gone for good: marked so status shows the loss and
  // indexing stops counting it as to do ([Note: Blob health marks]).
  const gone = forNow.filter((h) => blobFileState(blobPath(ctx.paths.objects, h)).state === 'missing');
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
      } else if (!r.forNow) putFailure.run(hash, modelId, r.message.slice(0, 500));
    });
    for (const h of gone) setBlobState(db, h, 'missing', now);
  });
  injectFault('similar-chunk');
  return { recorded: todo.length - forNow.length, forNow };
}

/** A model file onnxruntime cannot load (not a model, truncated), said as such instead of its stack. */
function modelLoadError(err: unknown, modelPath: string): ShoeboxError | undefined {
  const message = errorMessage(err);
  if (!/Load model|Protobuf parsing failed|INVALID_PROTOBUF/i.test(message)) return undefined;
  return new ShoeboxError('NOT_FOUND', `The image model ${modelPath} could not be loaded (${message.split('\n')[0]!.slice(0, 200)}). Run \`npm run build:model\` to make it again, or set SHOEBOX_MODEL to a valid model file.`, { cause: err });
}

/** Cosine of two normalized half-precision vectors. */
export function cosineF16(a: Uint16Array, b: Uint16Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += F16_TABLE[a[i]!]! * F16_TABLE[b[i]!]!;
  return dot;
}
