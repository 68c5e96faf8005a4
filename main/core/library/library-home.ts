import fs from 'node:fs';
import path from 'node:path';
import { ShoeboxError, isErrno } from '../errors.js';
import { folderId, sameFolder, type FolderId } from './path-identity.js';

/**
 * [Note: A library moved while open]
 * A library folder renamed or moved while a process has it open keeps working through the
 * handles that process already holds (the catalog), but every path the engine builds still
 * names the old place: temp files fail to open (which used to be reported as the *source*
 * being unreadable, file after file), and `mkdir -p` of a blob shard or preview folder
 * re-created the old folder, writing a stray half-library there. So the open library remembers
 * its folder's device + inode; the engine checks it before each file and every second while
 * running, and stops with LIBRARY_MOVED, saying where the folder went where the OS can tell.
 * After open, folders inside the library are created only a level or two below existing ones
 * (makeDirBelow), never the library folder itself.
 */
export class LibraryHome {
  private readonly id: FolderId;
  /** A handle on the folder itself, to tell where it went (Linux: /proc/self/fd). */
  private fd: number | null;
  private moved: ShoeboxError | null = null;

  constructor(readonly root: string) {
    const id = folderId(root);
    if (!id) throw new ShoeboxError('LIBRARY_NOT_WRITABLE', `The library folder ${root} is missing.`);
    this.id = id;
    this.fd = process.platform === 'linux' ? fs.openSync(root, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY) : null;
  }

  /** Null while the library is where it was opened; once it has moved, the (lasting) error. */
  check(): ShoeboxError | null {
    if (this.moved) return this.moved;
    if (sameFolder(folderId(this.root), this.id)) return null;
    const now = this.currentPath();
    const where = now === null ? 'moved, renamed or deleted' : now.endsWith(' (deleted)') ? 'deleted' : 'moved or renamed';
    this.moved = new ShoeboxError(
      'LIBRARY_MOVED',
      `The library folder ${this.root} was ${where} while Shoebox had it open${now !== null && !now.endsWith(' (deleted)') ? ` (it is now ${now})` : ''}. ` +
        'Shoebox stopped and wrote nothing more to the old place. ' +
        (now !== null && !now.endsWith(' (deleted)') ? `Start it again on the library where it is now.` : 'Put it back, or start Shoebox again on its new place.'),
      { hint: now !== null && !now.endsWith(' (deleted)') ? `(--library "${now}")` : '(--library DIR chooses the library.)' },
    );
    return this.moved;
  }

  /** Throws LIBRARY_MOVED if the library folder is no longer at its path. */
  assertInPlace(): void {
    const err = this.check();
    if (err) throw err;
  }

  /** Where the library folder is now, if the OS can tell (null elsewhere). */
  currentPath(): string | null {
    if (this.fd === null) return null;
    try {
      return fs.readlinkSync(`/proc/self/fd/${this.fd}`);
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'EACCES')) return null; // no /proc
      throw err;
    }
  }

  /** Lets go of the folder handle (at close). */
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Creates `dir`, and at most `levels - 1` missing folders above it; fails with ENOENT if more
 * are missing. Used for folders inside the library (`objects/ab`: levels 2) so that a library
 * that moved away is never re-created at its old path ([Note: A library moved while open]).
 */
export function makeDirBelow(dir: string, levels: number, mode?: number): void {
  const missing: string[] = [];
  let cur = dir;
  while (!fs.existsSync(cur)) {
    missing.push(cur);
    if (missing.length > levels) break;
    cur = path.dirname(cur);
  }
  if (missing.length > levels) {
    throw Object.assign(new Error(`ENOENT: ${missing.at(-1)} is missing (not created: it holds the library)`), { code: 'ENOENT', path: missing.at(-1) });
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d, mode === undefined ? undefined : { mode });
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err; // made meanwhile by another process or thread
    }
  }
}
