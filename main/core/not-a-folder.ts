import fs from 'node:fs';
import path from 'node:path';
import { ShoeboxError, isErrno } from './errors.js';

/** Something that exists where a folder should be (the folder itself, or one above it), and what it is. */
export interface NotAFolder {
  path: string;
  /** "a file", "a device", … in words for a person. */
  kind: string;
}

/**
 * The deepest existing path at or above `p`, with what it is; null when none could be looked at
 * (a path that cannot be looked at, for permissions, is left to the step that uses it, which says
 * why).
 */
function deepestExisting(p: string): { path: string; st: fs.Stats } | null {
  for (let cur = path.resolve(p); ; ) {
    try {
      return { path: cur, st: fs.statSync(cur) };
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'ENOTDIR')) return null;
      const parent = path.dirname(cur);
      if (parent === cur) return null;
      cur = parent;
    }
  }
}

/**
 * Of a folder Shoebox is to use or create (the library, an export destination): the deepest
 * existing path at or above it, when that is not a folder (a file, `/dev/null`), else null.
 * Checked before any work: a file there otherwise surfaced as a raw ENOTDIR from whichever
 * step first looked inside it.
 */
export function notAFolderOnPath(p: string): NotAFolder | null {
  const found = deepestExisting(p);
  return found && !found.st.isDirectory() ? { path: found.path, kind: kindOf(found.st) } : null;
}

/**
 * Refuses a destination (of an export, or a restore's --to) where something other than a folder
 * stands: the destination itself or a folder above it is a file or a device. Checked before any
 * work, so the person hears that rather than one failure per photo.
 */
export function refuseNotAFolder(dest: string, what: 'export' | 'restore'): void {
  const blocker = notAFolderOnPath(dest);
  if (!blocker) return;
  const where = blocker.path === dest ? `${dest} is ${blocker.kind}, not a folder` : `${blocker.path} is ${blocker.kind}, not a folder, so ${dest} cannot be created`;
  throw new ShoeboxError('NOT_A_FOLDER', `Cannot ${what} there: ${where}. Give a folder to ${what} into (one that does not exist yet is created).`);
}

/**
 * Refuses a destination Shoebox cannot write to: a read-only disk or a folder without write
 * permission, in one answer rather than one failure per photo (each said "ENOENT: mkdir", the
 * destination never having been made). Checked last of a destination's checks (a folder in
 * /proc or inside the library is refused for that first).
 */
export function refuseNotWritable(dest: string, what: 'export' | 'restore'): void {
  const existing = deepestExisting(dest)?.path;
  if (existing === undefined) return;
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (err) {
    if (!isErrno(err, 'EROFS', 'EACCES', 'EPERM')) return;
    const why = isErrno(err, 'EROFS') ? 'is on a read-only disk' : 'cannot be written to (permission denied)';
    const at = existing === path.resolve(dest) ? dest : `${dest} (its folder ${existing})`;
    throw new ShoeboxError('DESTINATION_NOT_WRITABLE', `Cannot ${what} there: ${at} ${why}. Nothing was written. Give a folder on a writable disk.`, { cause: err });
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isFile()) return 'a file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a folder';
}
