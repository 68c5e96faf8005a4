import { noteBlobRead } from '../blobs/blob-health.js';
import { blobPath } from '../blobs/blob-store.js';
import type { EngineContext } from '../engine-context.js';
import type { CopyOutResult, CopyOutTask, PlaceQuery, PlaceState } from './copy-out.js';

/**
 * Writes a stored blob out of the library in the worker pool (export, restore, "Open with…"),
 * verified against its hash, and records what the read found in the blob's health marks
 * ([Note: Blob health marks]): a verified copy clears old marks, missing or damaged bytes set them.
 */
export async function copyBlobOut(ctx: EngineContext, hash: string, task: Omit<CopyOutTask, 'blobPath' | 'expectedHash'>): Promise<CopyOutResult> {
  const r = await ctx.pool.copyOut({ ...task, blobPath: blobPath(ctx.paths.objects, hash), expectedHash: hash });
  if (r.kind === 'written') noteBlobRead(ctx.cdb, hash, 'verified', ctx.now());
  else if (r.kind === 'failed' && r.blob) noteBlobRead(ctx.cdb, hash, r.blob, ctx.now());
  return r;
}

/**
 * A copy out of the library that failed because its file was purged meanwhile (Trash emptied in
 * another process or window while an export or restore ran): not damage, nothing to repair.
 */
export function purgedMeanwhile(ctx: EngineContext, r: CopyOutResult, fileId: number): boolean {
  return r.kind === 'failed' && r.blob === 'missing' && ctx.catalog.fileName(fileId) === undefined;
}

/** Places looked at per worker round trip. */
const PLACES_PER_TASK = 64;

/**
 * What is at each place an export or restore is about to write (copy-out.ts inspectPlaces), in
 * the worker pool: a file there of the right size is hashed once, off the main thread.
 */
export async function inspectPlaces(ctx: EngineContext, places: PlaceQuery[]): Promise<PlaceState[]> {
  const chunks: PlaceQuery[][] = [];
  for (let i = 0; i < places.length; i += PLACES_PER_TASK) chunks.push(places.slice(i, i + PLACES_PER_TASK));
  return (await Promise.all(chunks.map((c) => ctx.pool.inspectPlaces(c)))).flat();
}
