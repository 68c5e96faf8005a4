import fs from 'node:fs';
import path from 'node:path';
import { injectFault } from '../faults.js';
import { makeDirBelow } from '../library/library-home.js';
import { listDir } from '../list-dir.js';
import { fsyncDir } from '../atomic-write.js';

/** Where a blob with this hash lives: `objects/<first two hex>/<hash>`. */
export function blobPath(objectsDir: string, hash: string): string {
  return path.join(objectsDir, hash.slice(0, 2), hash);
}

/**
 * Moves a complete, fsynced, verified temp file into its content-addressed place and fsyncs the
 * folder. If the blob is already there, the temp file is dropped (same hash = same bytes).
 * Returns true if it was newly placed. Dropping is safe even if a purge removes that blob right
 * after: the commit checks the file exists inside its transaction and asks for the bytes again
 * ([Note: Blob present at commit], [Note: Blob tombstones]).
 */
export function placeBlob(objectsDir: string, tmpFile: string, hash: string): boolean {
  const dir = renameIntoPlace(objectsDir, tmpFile, hash);
  if (dir === null) return false;
  fsyncDir(dir);
  injectFault('blob-placed');
  return true;
}

/**
 * placeBlob without the folder fsync, for a batch ([Note: Batched durability]): returns the
 * shard folder the caller must fsync before the blob counts as placed (and before any catalog
 * row may name it), or null when the blob was already there and the temp file was dropped.
 */
export function renameIntoPlace(objectsDir: string, tmpFile: string, hash: string): string | null {
  const final = blobPath(objectsDir, hash);
  const dir = path.dirname(final);
  if (fs.existsSync(final)) {
    fs.rmSync(tmpFile, { force: true });
    return null;
  }
  makeDirBelow(dir, 2); // objects/ab, never the library folder itself
  injectFault('blob-place');
  fs.renameSync(tmpFile, final);
  return dir;
}

/** fsyncs a directory without blocking the thread (a batch fsyncs its shard folders together). */
export async function fsyncDirAsync(dir: string): Promise<void> {
  const fd = await fs.promises.open(dir, 'r');
  try {
    await fd.sync();
  } finally {
    await fd.close();
  }
}

/**
 * Before good bytes replace a blob known to be damaged: if the stored file does not hash to its
 * name, it is moved into `damagedDir` (never deleted) and its new path returned; a file that
 * does hash right (someone replaced it meanwhile) stays, and null is returned.
 */
export function setAsideDamaged(objectsDir: string, damagedDir: string, hash: string, hashOf: (file: string) => string): string | null {
  const final = blobPath(objectsDir, hash);
  if (!fs.existsSync(final) || hashOf(final) === hash) return null;
  fs.mkdirSync(damagedDir, { recursive: true });
  let dest = path.join(damagedDir, `${hash}.${Date.now()}`);
  for (let n = 2; fs.existsSync(dest); n++) dest = path.join(damagedDir, `${hash}.${Date.now()}.${n}`);
  fs.renameSync(final, dest);
  fsyncDir(damagedDir);
  return dest;
}

/** True if the blob's file exists. */
export function blobExists(objectsDir: string, hash: string): boolean {
  return fs.existsSync(blobPath(objectsDir, hash));
}

/** Opens a blob for reading as a stream. */
export function openBlobStream(objectsDir: string, hash: string, opts?: { start?: number; end?: number }): fs.ReadStream {
  return fs.createReadStream(blobPath(objectsDir, hash), opts);
}

/** Lists every blob file name in the store (hash per file), shard by shard. */
export function* listBlobShards(objectsDir: string): Generator<{ dir: string; names: string[] }> {
  for (const shard of listDir(objectsDir).sort()) {
    const dir = path.join(objectsDir, shard);
    yield { dir, names: fs.readdirSync(dir) };
  }
}
