import { CHUNK } from '../blobs/blob-writer.js';
import { fsyncDirAsync, renameIntoPlace, setAsideDamaged } from '../blobs/blob-store.js';
import { injectFault } from '../faults.js';
import { chunkBuffers, hashFile, libraryError, stageFile, type IngestEntry, type IngestHooks, type IngestResult, type IngestTask, type Staged } from './ingest-file.js';

/** A batch of source files for one worker round trip. */
export interface IngestBatchTask {
  entries: IngestEntry[];
  /** This process's temp folder inside the library (same file system as objects/). */
  tmpDir: string;
  objectsDir: string;
}

type Pending = Extract<Staged, { kind: 'staged' }> & { index: number };

/**
 * [Note: Batched durability]
 * A batch of source files crosses to a worker in one message and its results come back in one
 * (issue #18: one round trip per file left the main thread idle half of an upload, waiting on
 * workers, and the workers waiting on it). In the worker each file is read once — sniffed,
 * hashed and, in copy mode, written to a temp file — then the batch is made durable together:
 * every temp file is fsynced at once (asynchronously, so the file system serves them in one
 * journal commit instead of one after another), each is re-read from the device and verified
 * against its hash, renamed into objects/, and each shard folder that gained a blob is fsynced
 * once. Only then do the results go back, and only then may the batch's catalog rows commit
 * (a transaction per slice, upload-pipeline.ts). So a catalog row still only ever names bytes that
 * are durable and verified; a process killed at any moment leaves at most the batch's temp
 * files and placed blobs without rows, which the next open moves into quarantine and the next
 * upload takes back ([Note: Blob quarantine]).
 */
export async function ingestBatch(task: IngestBatchTask, hooks: IngestHooks = {}): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array<IngestResult>(task.entries.length);
  const all: Pending[] = []; // every temp file written, discarded at the end unless renamed into place
  try {
    for (const [index, entry] of task.entries.entries()) {
      const s = await stageFile(entry, task.tmpDir, hooks);
      if (s.kind === 'done') results[index] = s.result;
      else if (!s.writer) results[index] = s.result; // hash mode: nothing written
      else all.push({ ...s, index });
    }
    // Durable together.
    const synced = await Promise.allSettled(all.map((p) => p.writer!.finish()));
    const pending = all.filter((p, i) => {
      const r = synced[i]!;
      if (r.status === 'fulfilled') return true;
      results[p.index] = libraryError(r.reason);
      return false;
    });
    // Verified from the device.
    const bufs = chunkBuffers();
    const verified: Pending[] = [];
    for (const p of pending) {
      hooks.beforeVerify?.(p.writer!.file);
      const digest = await (p.writer!.size <= CHUNK ? Promise.resolve().then(() => p.writer!.verifySmall(bufs[0])) : p.writer!.verify(bufs)).catch((err: unknown) => err as Error);
      if (digest === p.result.hash) verified.push(p);
      else results[p.index] = digest instanceof Error ? libraryError(digest) : { kind: 'failed', code: 'IO_ERROR', message: 'was copied into the library but the copy did not verify; it will be retried' };
    }
    // Placed, and each shard folder fsynced once.
    const dirs = new Map<string, Pending[]>();
    for (const p of verified) {
      const entry = task.entries[p.index]!;
      let movedAside: string | null, dir: string | null;
      try {
        // One file's failure (a full disk, a fault) fails that file, not the batch: the others
        // are still placed and reported, and its temp file is discarded below.
        movedAside = entry.damagedDir ? setAsideDamaged(task.objectsDir, entry.damagedDir, p.result.hash, (f) => hashFile(f, bufs[0])) : null;
        dir = renameIntoPlace(task.objectsDir, p.writer!.file, p.result.hash);
      } catch (err) {
        results[p.index] = libraryError(err);
        continue;
      }
      p.writer = undefined; // renamed, or dropped because the blob was already there
      results[p.index] = { ...p.result, stored: true, ...(dir !== null ? { placed: true as const } : {}), ...(movedAside ? { movedAside } : {}) };
      if (dir !== null) dirs.set(dir, [...(dirs.get(dir) ?? []), p]);
    }
    const dirSynced = await Promise.allSettled([...dirs.keys()].map((d) => fsyncDirAsync(d)));
    for (const [i, placed] of [...dirs.values()].entries()) {
      const r = dirSynced[i]!;
      for (const p of placed) {
        if (r.status === 'rejected') results[p.index] = libraryError(r.reason);
        else injectFault('blob-placed');
      }
    }
    return results;
  } finally {
    for (const p of all) p.writer?.discard();
  }
}

/**
 * Reads, hashes and (in copy mode) stores one source file: a batch of one (stageFile, then
 * fsync, verify by re-reading, rename into the blob store and fsync its folder).
 */
export async function ingestFile(task: IngestTask, hooks: IngestHooks = {}): Promise<IngestResult> {
  const { tmpDir, objectsDir, ...entry } = task;
  return (await ingestBatch({ entries: [entry], tmpDir, objectsDir }, hooks))[0]!;
}
