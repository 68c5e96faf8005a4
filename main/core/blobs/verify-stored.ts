// Reading stored bytes back in full (in a worker) to know they are whole, before anything is
// given up on their strength: Free up space before a source goes, Similar images before the
// other images of a group go to Trash.
import { noteBlobRead } from './blob-health.js';
import { blobFileState, blobPath } from './blob-store.js';
import type { EngineContext } from '../engine-context.js';
import type { IngestResult } from '../upload/ingest-file.js';

/** What a re-read of stored bytes found: whole (with the file that holds them), or damaged or missing, and why. */
export type StoredCheck = { state: 'ok'; dev: number; ino: number } | { state: 'damaged' | 'missing'; why: string };

/**
 * Reads a file in a worker and hashes it (no sniffing: every byte counts, not what kind of file
 * it is). A symlink is not followed: it reads as 'not a file' ([Note: Stored bytes are never a link]).
 */
export async function hashInWorker(ctx: EngineContext, file: string, signal?: AbortSignal): Promise<IngestResult> {
  const entry = { path: file, mode: 'hash' as const, mediaType: 'application/octet-stream', maxBytes: Number.MAX_SAFE_INTEGER, noFollow: true };
  const [r] = await ctx.pool.ingestBatch({ entries: [entry], tmpDir: ctx.tmpDir, objectsDir: ctx.paths.objects }, signal);
  if (!r) throw new Error('no result from the worker');
  return r;
}

/**
 * Re-hashes a content's stored bytes: ok (with the file that holds them), damaged (other bytes,
 * not a regular file — a symlink is never followed: [Note: Stored bytes are never a link] — or
 * unreadable), or missing. What it finds is recorded like every reader's ([Note: Blob health
 * marks]): status then counts the photo as damaged, and a watch stores it again from its
 * original, which the review keeps. An unreadable copy (EIO, a permission) is reported but not
 * marked: that may pass. The review calls it once per content; the move calls it again right
 * before each source goes.
 */
export async function verifyStored(ctx: EngineContext, hash: string, onRead: (bytes: number) => void, signal?: AbortSignal): Promise<StoredCheck> {
  const file = blobPath(ctx.paths.objects, hash);
  const found = blobFileState(file);
  if (found.state === 'missing') {
    noteBlobRead(ctx.cdb, hash, 'missing', ctx.now());
    return { state: 'missing', why: 'its library copy is missing' };
  }
  if (found.state === 'not-stored') {
    noteBlobRead(ctx.cdb, hash, 'damaged', ctx.now());
    return { state: 'damaged', why: found.why };
  }
  const r = await hashInWorker(ctx, file, signal);
  if (r.kind === 'vanished') {
    noteBlobRead(ctx.cdb, hash, 'missing', ctx.now());
    return { state: 'missing', why: 'its library copy is missing' };
  }
  if (r.kind === 'ignored') {
    noteBlobRead(ctx.cdb, hash, 'damaged', ctx.now());
    return { state: 'damaged', why: 'the library copy is not a regular file (a symbolic link?), not stored bytes' };
  }
  if (r.kind !== 'hashed') {
    ctx.log.warn('a library copy could not be read to verify it', { hash: hash.slice(0, 12), result: r.message });
    return { state: 'damaged', why: `its library copy ${r.message}` };
  }
  onRead(r.size);
  noteBlobRead(ctx.cdb, hash, r.hash === hash ? 'verified' : 'damaged', ctx.now());
  return r.hash === hash ? { state: 'ok', dev: r.dev, ino: r.ino } : { state: 'damaged', why: 'its stored bytes no longer hash to what was backed up' };
}
