import fs from 'node:fs';
import path from 'node:path';
import { O_NOFOLLOW } from '../blobs/blob-store.js';
import { BlobWriter, alignedChunkBuffer, fillChunk } from '../blobs/blob-writer.js';
import type { ShoeboxErrorCode } from '../errors.js';
import { isDiskFull, isErrno } from '../errors.js';
import { hashFile } from '../upload/ingest-file.js';
import { fsPath } from '../media/raw-names.js';
import { injectFault } from '../faults.js';
import { fitName, splitExt } from './file-names.js';

/** One library file to write out of the library (export, restore, open-with). */
export interface CopyOutTask {
  blobPath: string;
  expectedHash: string;
  dest: string;
  /** Modification time to give the copy (the source's), if known. */
  mtimeMs: number | null;
  /** What to do when `dest` holds different bytes: refuse, or write beside it under a new name. */
  onConflict: 'refuse' | 'beside';
  /** An identical copy already written in this run: hard-link to it where the file system allows. */
  linkFrom?: string;
  /** The blob's size: a file of another size at `dest` is not these bytes, and is not read. */
  size?: number;
  /**
   * What `inspectPlaces` found at `dest` holding these bytes (its PlaceState identity): while the
   * file there is still that one, unchanged, it is skipped without being read again.
   */
  sameAs?: string;
}

/** What happened to one copy. Plain data: it crosses the worker boundary. */
export type CopyOutResult =
  | { kind: 'written'; path: string; bytes: number }
  | { kind: 'linked'; path: string }
  | { kind: 'skipped'; path: string }
  | { kind: 'conflict'; path: string; wroteBeside: string | null; /** what is there is a symbolic link */ link?: true }
  | { kind: 'failed'; code: ShoeboxErrorCode; message: string; /** set when the library's own bytes are at fault */ blob?: 'missing' | 'damaged' };

let buffers: [Buffer, Buffer] | undefined;

/**
 * Writes a blob to `dest`, never leaving a partial file under the final name: the bytes go to a
 * hidden temp file beside it (direct I/O where possible), are fsynced, re-read and verified
 * against the hash, then renamed into place with the source's mtime. An existing file with the
 * right hash is skipped (resume); one with other bytes is never overwritten.
 */
export async function copyOut(task: CopyOutTask): Promise<CopyOutResult> {
  buffers ??= [alignedChunkBuffer(), alignedChunkBuffer()];
  const dir = path.dirname(task.dest);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const dest = fsPath(task.dest); // a name that is not valid UTF-8 is written with its exact bytes
    // A symbolic link there, even one pointing nowhere, is something there and not this photo: never
    // replaced, never followed (a link is not the photo's bytes, wherever it points).
    const existing = lstatOrNull(dest);
    if (existing) {
      const link = existing.isSymbolicLink();
      if (existing.isFile() && (task.sameAs === identity(existing) || holdsBytes(dest, existing, task.expectedHash, task.size))) return { kind: 'skipped', path: task.dest };
      if (task.onConflict === 'refuse') return { kind: 'conflict', path: task.dest, wroteBeside: null, ...(link ? { link } : {}) };
      return writeBeside(task);
    }
    if (task.linkFrom) {
      try {
        fs.linkSync(fsPath(task.linkFrom), dest);
        return { kind: 'linked', path: task.dest };
      } catch (err) {
        if (isErrno(err, 'EEXIST')) return appeared(task); // something was put there meanwhile
        if (!isErrno(err, 'EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP')) throw err; // otherwise: copy
      }
    }
    // Not through a symlink: a link is not stored bytes ([Note: Stored bytes are never a link]).
    const src = reading(() => fs.openSync(task.blobPath, fs.constants.O_RDONLY | O_NOFOLLOW));
    const writer = new BlobWriter(dir, '.shoebox-part');
    try {
      const size = fs.fstatSync(src).size;
      const read = (buf: Buffer, pos: number) => fillChunk(src, buf, pos, size).catch((err: unknown) => reading(() => { throw err; }));
      let cur = 0;
      let total = 0;
      let n = await read(buffers[0], 0);
      while (n > 0) {
        const buf = buffers[cur]!;
        const next = read(buffers[1 - cur]!, total + n);
        // both settle before an error is acted on: a failed write must not leave a read dangling
        const [w, r] = await Promise.allSettled([writer.write(buf, n), next]);
        if (w.status === 'rejected') throw w.reason;
        if (r.status === 'rejected') throw r.reason;
        total += n;
        n = r.value;
        cur = 1 - cur;
      }
      const hash = await writer.finishAndHash(buffers);
      if (hash !== task.expectedHash) {
        writer.discard();
        return { kind: 'failed', code: 'BYTES_DAMAGED', message: `its stored bytes are damaged (hash mismatch); \`shoebox check --repair\` stores them again from the original where it still exists`, blob: 'damaged' };
      }
      if (task.mtimeMs !== null) fs.utimesSync(writer.file, new Date(), new Date(task.mtimeMs));
      injectFault('export-copied');
      if (!placeNoClobber(writer.file, dest)) {
        writer.discard();
        return appeared(task);
      }
      return { kind: 'written', path: task.dest, bytes: total };
    } catch (err) {
      writer.discard();
      throw err;
    } finally {
      fs.closeSync(src);
    }
  } catch (err) {
    if (err instanceof LibraryReadError) {
      const cause = err.cause as NodeJS.ErrnoException;
      const what = cause.code ?? cause.message;
      if (what === 'ENOENT') return { kind: 'failed', code: 'BYTES_DAMAGED', message: 'its stored bytes are missing from the library; `shoebox check --repair` stores them again from the original where it still exists', blob: 'missing' };
      if (what === 'ELOOP' || what === 'EMLINK') return { kind: 'failed', code: 'BYTES_DAMAGED', message: 'its library copy is a symbolic link, not stored bytes; backing up the original again stores it again', blob: 'damaged' };
      return {
        kind: 'failed', code: 'IO_ERROR',
        message: `its stored bytes could not be read from the library (${task.blobPath}: ${what}); ` +
          (what === 'EACCES' || what === 'EPERM' ? 'run Shoebox as the user who owns the library, or fix the library folder\'s permissions' : '`shoebox check --read-data` tells more'),
      };
    }
    if (isErrno(err, 'ENOENT') && !fs.existsSync(task.blobPath)) return { kind: 'failed', code: 'BYTES_DAMAGED', message: 'its stored bytes are missing from the library; `shoebox check --repair` stores them again from the original where it still exists', blob: 'missing' };
    if (isDiskFull(err)) return { kind: 'failed', code: 'DISK_FULL', message: `the destination disk is full (${dir})` };
    return { kind: 'failed', code: 'IO_ERROR', message: `could not be written to ${task.dest}: ${(err as Error).message}` };
  }
}

/**
 * [Note: Never over a file that appeared meanwhile]
 * The verified temp copy takes its final name only if nothing is there: a file put at that name
 * while the copy was written (seconds, for a large video) is never replaced. A rename would
 * replace it (helper-50: a 300 MB export wrote over "FOREIGN" put there mid-copy); a hard link
 * to the name fails instead (EEXIST), and the temp name is then removed. Where the file system
 * has no hard links (FAT, exFAT, some network disks) the name is looked at just before the
 * rename: a window of microseconds instead of the whole copy.
 */
function placeNoClobber(tmp: string, dest: string | Buffer): boolean {
  try {
    fs.linkSync(tmp, dest);
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false;
    if (!isErrno(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS')) throw err;
    if (lstatOrNull(dest) !== null) return false;
    fs.renameSync(tmp, dest);
    return true;
  }
  fs.unlinkSync(tmp);
  return true;
}

/** What a copy whose name was taken while it was written comes to: a conflict, or (restore) the copy beside it. */
function appeared(task: CopyOutTask): Promise<CopyOutResult> {
  return task.onConflict === 'refuse' ? Promise.resolve({ kind: 'conflict', path: task.dest, wroteBeside: null }) : writeBeside(task);
}

/** The copy written beside what holds its name (restore): `name (restored a1b2c3d4).ext`, reported as a conflict written beside. */
async function writeBeside(task: CopyOutTask): Promise<CopyOutResult> {
  const beside = besideName(task.dest, task.expectedHash);
  const r = await copyOut({ ...task, dest: beside, onConflict: 'refuse' });
  return r.kind === 'written' || r.kind === 'skipped' || r.kind === 'linked' ? { kind: 'conflict', path: task.dest, wroteBeside: beside } : r;
}

/** A failure reading the library's copy (not writing the destination): reported as such. */
class LibraryReadError extends Error {
  constructor(cause: unknown) {
    super(`reading the library failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

function reading<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new LibraryReadError(err);
  }
}

/** A place a copy goes, and the bytes meant for it. */
export interface PlaceQuery {
  dest: string;
  hash: string;
  size: number;
}

/**
 * What is at a place: nothing; something other than these bytes (a file of other content, a
 * folder, a symbolic link), which keeps an item from that name; or these very bytes, with the
 * file's identity, which the copy (CopyOutTask.sameAs) trusts while it is unchanged.
 */
export type PlaceState = { kind: 'free' } | { kind: 'other' } | { kind: 'same'; identity: string };

/**
 * Looks at the places an export or restore is about to write (in a worker: a file there of the
 * right size is read and hashed, once; its copy task then skips it by identity instead of reading
 * it again, issue #18's resume of many RAWs).
 */
export function inspectPlaces(queries: PlaceQuery[]): PlaceState[] {
  return queries.map((q): PlaceState => {
    const dest = fsPath(q.dest);
    let st: fs.Stats | null;
    try {
      st = lstatOrNull(dest);
    } catch {
      return { kind: 'free' }; // cannot even look (a folder without permission): the copy says what is wrong
    }
    if (st === null) return { kind: 'free' };
    try {
      return st.isFile() && holdsBytes(dest, st, q.hash, q.size) ? { kind: 'same', identity: identity(st) } : { kind: 'other' };
    } catch {
      return { kind: 'other' }; // a file there that cannot be read is not known to be these bytes: never written over
    }
  });
}

/** Whether the regular file `st` at `file` holds exactly the bytes of `hash` (of `size`, when known: another size is not read). */
function holdsBytes(file: string | Buffer, st: fs.Stats, hash: string, size: number | undefined): boolean {
  if (size !== undefined && st.size !== size) return false;
  injectFault('dest-hashed');
  return hashFile(file) === hash;
}

/** A file's identity for as long as it is not changed, moved or replaced: device, inode, size, times. */
function identity(st: fs.Stats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

/** The name used beside an existing different file: `name (restored a1b2c3d4).ext`. */
export function besideName(dest: string, hash: string): string {
  const { stem, ext } = splitExt(path.basename(dest));
  return path.join(path.dirname(dest), fitName(stem, ` (restored ${hash.slice(0, 8)})${ext}`));
}

function lstatOrNull(p: string | Buffer): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null;
    throw err;
  }
}
