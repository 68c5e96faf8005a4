import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Transform, type Readable } from 'node:stream';
import { isMarkedDamaged, noteBlobRead } from '../blobs/blob-health.js';
import { O_NOFOLLOW, blobFileState, blobPath } from '../blobs/blob-store.js';
import type { FileFacts } from '../catalog/library-catalog.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno } from '../errors.js';
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
  const digest = createHash('sha256');
  const source = fs.createReadStream(p, { fd });
  const checked = source.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, next) {
        digest.update(chunk);
        next(null, chunk);
      },
      flush(next) {
        if (digest.digest('hex') === hash) return next();
        noteBlobRead(ctx.cdb, hash, 'damaged', ctx.now());
        next(damaged('they do not hash to their name; what was written is damaged'));
      },
    }),
  );
  source.on('error', (err) => checked.destroy(err)); // pipe() does not pass a read error on
  checked.on('close', () => source.destroy());
  return checked;
}

/** A temporary read-only copy of a file under its own name, for "Open with…" (verified while written). */
export async function openCopy(ctx: EngineContext, fileId: number): Promise<string> {
  const f = fileFacts(ctx, fileId);
  const dest = `${os.tmpdir()}/shoebox-open-${process.getuid?.() ?? 'user'}/${fileId}/${f.name.replace(/[/\\]/g, '_')}`;
  const r = await copyBlobOut(ctx, f.hash, { dest, mtimeMs: f.modifiedAt, onConflict: 'refuse' });
  if (r.kind === 'failed') throw new ShoeboxError(r.code, `${f.name} (file ${fileId}) could not be opened: ${r.message}.`);
  if (r.kind === 'conflict') throw new ShoeboxError('CONFLICT', `${dest} exists with other content.`);
  fs.chmodSync(dest, 0o444);
  return dest;
}
