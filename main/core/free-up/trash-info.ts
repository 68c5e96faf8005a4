import fs from 'node:fs/promises';
import path from 'node:path';
import { ShoeboxError, isDiskFull, isErrno } from '../errors.js';
import { injectFault } from '../faults.js';
import { fsPath, nameFromBytes } from '../media/raw-names.js';

// The info files of the freedesktop Trash ([Note: The freedesktop Trash]): `info/NAME.trashinfo`,
// written before the file is renamed to `files/NAME`, and removed again when the move does not
// happen — right away when it fails, or by the settling of a move a crash cut short.

const UNRESERVED = /[A-Za-z0-9\-_.!~*'()/]/;

/** Percent-encodes a path's bytes as the Trash spec's Path= wants (RFC 2396; '/' kept). */
export function encodeTrashPath(p: string): string {
  let out = '';
  for (const byte of Buffer.from(fsPath(p))) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Local time as YYYY-MM-DDThh:mm:ss. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The start of every `.trashinfo` Shoebox writes for this Path= (what follows is the deletion date). */
function infoHead(named: string): string {
  return `[Trash Info]\nPath=${encodeTrashPath(named)}\n`;
}

/** The `.trashinfo` text for a file at `original` going to a Trash whose paths are relative to `relativeTo` (null: absolute). */
export function trashInfo(original: string, relativeTo: string | null, at: number): string {
  return `${infoHead(relativeTo === null ? original : path.relative(relativeTo, original))}DeletionDate=${localTime(at)}\n`;
}

/** `TRASH/info/NAME.trashinfo` */
export function infoFile(trashDir: string, name: string): string {
  return path.join(trashDir, 'info', `${name}.trashinfo`);
}

/** The file's path with its folder's symlinks resolved (the file itself is not followed). */
export async function realFileOf(file: string): Promise<string> {
  const dir = await fs.realpath(fsPath(path.dirname(file)), { encoding: 'buffer' });
  return path.join(nameFromBytes(dir), path.basename(file));
}

/**
 * Creates an info file exclusively (O_EXCL: that reserves NAME against every other program) and
 * writes and fsyncs it. Once created it is ours: if the write fails (a full disk), it is removed
 * again before the error goes on, so no empty or partial info file is left to block the name.
 * A full disk is a DISK_FULL error naming the Trash: nothing was moved.
 */
export async function writeExclusive(file: string, text: string, trashDir: string): Promise<void> {
  const fh = await fs.open(fsPath(file), 'wx', 0o600).catch((err: unknown) => {
    throw isDiskFull(err) ? trashDiskFull(trashDir, err) : err;
  });
  try {
    injectFault('free-up-info-open');
    await fh.writeFile(text);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined); // the write's error is the one to report; the file goes next
    await fs.rm(fsPath(file), { force: true });
    throw isDiskFull(err) ? trashDiskFull(trashDir, err) : err;
  }
  await fh.close();
}

/** The error for a Trash whose disk is full (the file stays where it is). */
export function trashDiskFull(trashDir: string, cause: unknown): ShoeboxError {
  return new ShoeboxError('DISK_FULL', `The disk that holds the Trash (${trashDir}) is full: Free up space stopped, and the file it was about to move stays where it is. Make room on that disk (emptying the Trash does), then free up space again.`, { cause });
}

/**
 * Removes `info/NAME.trashinfo` of a move cut short, if it is Shoebox's: it names `file`, or it
 * is the empty or partial start of what Shoebox writes for it (a crash or a full disk between
 * creating the file and writing it). NAME is the one the free-up intent recorded, so another
 * program's info file is never touched (it names another file).
 */
export async function dropReservation(file: string, trashDir: string, name: string): Promise<void> {
  const info = infoFile(trashDir, name);
  const text = await fs.readFile(fsPath(info), 'utf8').catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  });
  if (text === null) return;
  const real = await realFileOf(file).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return file; // its folder is gone too
    throw err;
  });
  const head = infoHead(isTopdirTrash(trashDir) ? path.relative(topdirOf(trashDir), real) : real);
  if (text.startsWith(head) || head.startsWith(text)) await fs.rm(fsPath(info), { force: true });
}

/** A top-directory Trash is `$topdir/.Trash-$uid` or `$topdir/.Trash/$uid`. */
function isTopdirTrash(trashDir: string): boolean {
  return /^\.Trash-\d+$/.test(path.basename(trashDir)) || path.basename(path.dirname(trashDir)) === '.Trash';
}

function topdirOf(trashDir: string): string {
  return path.basename(path.dirname(trashDir)) === '.Trash' ? path.dirname(path.dirname(trashDir)) : path.dirname(trashDir);
}
