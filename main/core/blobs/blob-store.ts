import fs from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { injectFault } from '../faults.js';
import { makeDirBelow } from '../library/library-home.js';
import { listDir } from '../list-dir.js';
import { fsyncDir } from '../atomic-write.js';

// [Note: Stored bytes are never a link]
// A blob file must be the stored bytes themselves. A deduplicating tool (`rdfind -makesymlinks`,
// `jdupes --link-soft`) run over a disk can replace objects/ab/<hash> by a symlink to an
// identical file elsewhere — often the very source it was backed up from. Read through the
// link, the bytes hash right, so a verification that follows links would let Free up space
// delete the only copy. So every read that vouches for stored bytes (Free up space's
// verification, `check`, the health marks, `cat`, export, previews) looks at the file itself:
// lstat must say a regular file and the open uses O_NOFOLLOW. A link is 'damaged' (its message
// says it is a link, not stored bytes); repairing moves the link aside into damaged/ (nothing is
// deleted) and stores the bytes again from the original. A hard link needs no such care for the
// library (it is the bytes), but Free up space refuses a source that is its library copy's very
// inode (free-up-review.ts).

/** O_NOFOLLOW where the system has it (Windows has none: an lstat stands in). */
export const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** What an lstat says of a stored blob file, without following a link ([Note: Stored bytes are never a link]). */
export type BlobFileState = { state: 'missing' } | { state: 'not-stored'; why: string } | { state: 'file'; size: number; dev: number; ino: number };

/** Looks at a blob file itself: missing, not stored bytes (a link or not a regular file, with why), or a regular file. */
export function blobFileState(file: string): BlobFileState {
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (err) {
    if (!isErrno(err, 'ENOTDIR')) throw err;
  }
  if (!st) return { state: 'missing' };
  if (st.isSymbolicLink()) {
    let target = '';
    try {
      target = ` to ${fs.readlinkSync(file)}`;
    } catch {
      // unreadable link text: it is a link all the same
    }
    return { state: 'not-stored', why: `the library copy is a symbolic link${target}, not stored bytes` };
  }
  if (!st.isFile()) return { state: 'not-stored', why: 'the library copy is not a regular file' };
  return { state: 'file', size: st.size, dev: Number(st.dev), ino: Number(st.ino) };
}

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
 * name, or is not stored bytes at all (a symlink: [Note: Stored bytes are never a link]), it is
 * moved into `damagedDir` (never deleted; a link is moved as the link) and its new path
 * returned; a file that does hash right (someone replaced it meanwhile) stays, and null is
 * returned.
 */
export function setAsideDamaged(objectsDir: string, damagedDir: string, hash: string, hashOf: (file: string) => string): string | null {
  const final = blobPath(objectsDir, hash);
  const found = blobFileState(final);
  if (found.state === 'missing' || (found.state === 'file' && hashOf(final) === hash)) return null;
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

/**
 * Lists every file name in the store (a blob's is its hash), shard by shard; files put straight
 * into objects/, where no blob lives, come last, as if objects/ were a shard of its own.
 */
export function* listBlobShards(objectsDir: string): Generator<{ dir: string; names: string[] }> {
  const loose: string[] = [];
  for (const shard of listDir(objectsDir).sort()) {
    const dir = path.join(objectsDir, shard);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (err) {
      if (!isErrno(err, 'ENOTDIR')) throw err;
      loose.push(shard);
      continue;
    }
    yield { dir, names };
  }
  if (loose.length > 0) yield { dir: objectsDir, names: loose };
}
