import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isMarkedDamaged, noteBlobRead } from '../blobs/blob-health.js';
import { O_NOFOLLOW, blobFileState, blobPath } from '../blobs/blob-store.js';
import type { FileFacts } from '../catalog/library-catalog.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno } from '../errors.js';
import { HashingPass } from '../remote/hashing-pass.js';
import { copyBlobOut } from './copy-blob-out.js';

/** What the library knows about one file and its content hash; NOT_FOUND if there is no such file. */
export function fileFacts(ctx: EngineContext, fileId: number): FileFacts & { hash: string } {
  const f = ctx.catalog.fileFacts(fileId);
  if (!f) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`, { hint: '`shoebox ls` shows file ids.' });
  return f;
}

/**
 * A stream of a library file's original bytes (`cat`); missing bytes, or a blob that is not
 * stored bytes (a symlink: [Note: Stored bytes are never a link]), are recorded and named.
 * Bytes known to be damaged are refused before anything is written; the rest are hashed as
 * they pass, and a mismatch found at the end is recorded and fails the stream (what was
 * written is then known to be damaged, and the caller says so).
 */
export function openOriginal(ctx: EngineContext, fileId: number): Readable {
  const { hash } = fileFacts(ctx, fileId);
  const damaged = (why: string) =>
    new ShoeboxError('BYTES_DAMAGED', `The stored bytes of file ${fileId} are damaged (${why}).`, { hint: 'Run `shoebox check --repair`: it stores them again from the original where that still exists.' });
  const p = blobPath(ctx.paths.objects, hash);
  const missing = () => {
    noteBlobRead(ctx.cdb, hash, 'missing', ctx.now());
    return new ShoeboxError('BYTES_DAMAGED', `The stored bytes of file ${fileId} are missing; backing up the original again stores them again.`, { hint: 'Run `shoebox check`.' });
  };
  const notStored = (why: string) => {
    noteBlobRead(ctx.cdb, hash, 'damaged', ctx.now());
    return new ShoeboxError('BYTES_DAMAGED', `The stored bytes of file ${fileId} are damaged: ${why}. Backing up the original again stores them again.`, { hint: 'Run `shoebox check --repair`.' });
  };
  const found = blobFileState(p);
  if (found.state === 'missing') throw missing();
  if (found.state === 'not-stored') throw notStored(found.why);
  if (isMarkedDamaged(ctx.cdb.db, hash)) throw damaged('found earlier; nothing was written');
  let fd: number;
  try {
    fd = fs.openSync(p, fs.constants.O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw missing();
    if (isErrno(err, 'ELOOP', 'EMLINK')) throw notStored('the library copy is a symbolic link, not stored bytes');
    throw err;
  }
  const source = fs.createReadStream(p, { fd });
  const checked = source.pipe(
    new HashingPass({
      hash,
      mismatch: () => {
        noteBlobRead(ctx.cdb, hash, 'damaged', ctx.now());
        return damaged('they do not hash to their name; what was written is damaged');
      },
    }),
  );
  source.on('error', (err) => checked.destroy(err)); // pipe() does not pass a read error on
  checked.on('close', () => source.destroy());
  return checked;
}

/** Copies made for "Open with…" older than this are removed when the next one is made. */
const OPEN_COPY_KEEP_MS = 24 * 3600_000;

/**
 * A temporary read-only copy of a file under its own name, for "Open with…" (verified while
 * written): in a folder of the user's own (0700) under the temp folder, one per library (file
 * ids repeat across libraries), where copies older than a day are removed as new ones are made.
 */
export async function openCopy(ctx: EngineContext, fileId: number): Promise<string> {
  const f = fileFacts(ctx, fileId);
  const dir = openCopiesDir(ctx.paths.root);
  removeOldCopies(dir, Date.now());
  const dest = path.join(dir, String(fileId), f.name.replace(/[/\\]/g, '_'));
  const r = await copyBlobOut(ctx, f.hash, { dest, mtimeMs: f.modifiedAt, onConflict: 'refuse' });
  if (r.kind === 'failed') throw new ShoeboxError(r.code, `${f.name} (file ${fileId}) could not be opened: ${r.message}.`);
  if (r.kind === 'conflict') throw new ShoeboxError('CONFLICT', `${dest} exists with other content.`);
  fs.chmodSync(dest, 0o444);
  fs.utimesSync(path.dirname(dest), new Date(), new Date()); // its age counts from this open
  return dest;
}

/** The folder for this library's "Open with…" copies: `<tmp>/shoebox-open-<uid>/<library>`, the first made private (0700) and checked to be the user's own. */
function openCopiesDir(libraryRoot: string): string {
  const uid = process.getuid?.();
  const root = path.join(os.tmpdir(), `shoebox-open-${uid ?? 'user'}`);
  try {
    fs.mkdirSync(root, { mode: 0o700 });
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) throw err;
  }
  const st = fs.lstatSync(root);
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) {
    throw new ShoeboxError('IO_ERROR', `${root} is not a folder of yours (another user may have made it); copies for "Open with…" are not put there. Remove it, or set TMPDIR to a folder of your own.`);
  }
  if ((st.mode & 0o077) !== 0) fs.chmodSync(root, 0o700); // made open by an earlier version
  const dir = path.join(root, createHash('sha256').update(libraryRoot).digest('hex').slice(0, 12));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Removes the copies (one folder per file id) last opened more than a day ago. */
function removeOldCopies(dir: string, now: number): void {
  for (const name of fs.readdirSync(dir)) {
    const p = path.join(dir, name);
    try {
      if (now - fs.lstatSync(p).mtimeMs > OPEN_COPY_KEEP_MS) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // gone meanwhile, or not ours to remove: left as it is
    }
  }
}
