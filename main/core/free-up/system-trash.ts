import fs from 'node:fs/promises';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { fsPath } from '../media/raw-names.js';

/** Where a source went in a Trash: a freedesktop Trash folder and its name there, or (the desktop shell's Trash) unknown. */
export interface TrashPlace {
  trashDir: string | null;
  name: string | null;
}

/** Steps of one move that the caller takes part in. */
export interface TrashMoveHooks {
  /** The place is chosen and nothing is written yet: record the intent now (may be called again with another name). */
  planned(place: TrashPlace): void;
  /** Right before the move, after the Trash's own bookkeeping is written: the last re-check. Throwing cancels the move (nothing is left behind). */
  beforeMove(): Promise<void>;
  /**
   * Right after the move, with where the file now is: whether it is the file verified. Another
   * program can swap a file in between the last look and the rename; a file that is not the one
   * verified is put back (putBack) and the move fails with NotTheVerifiedFile.
   */
  isVerified(moved: string): Promise<boolean>;
}

/** The file a move took was not the one verified (swapped in right before it); it was put back. */
export class NotTheVerifiedFile extends Error {
  override readonly name = 'NotTheVerifiedFile';
  /** Where it was put back: its own path, or a numbered name beside it if its path was taken meanwhile. */
  constructor(readonly putBackAs: string) {
    super(`another file took the place of ${putBackAs} right before the move; it was put back`);
  }
}

/** What a settled intent found. */
export type SettledMove = 'untouched' | 'trashed' | 'gone';

/**
 * The system Trash, as the engine sees it: the freedesktop Trash on Linux
 * (freedesktop-trash.ts), the desktop shell's (Electron `shell.trashItem`, macOS and Windows)
 * injected by the app. Free up space moves sources here; nothing else does.
 */
export interface SystemTrash {
  /** How to name it to a person ("the Trash"). */
  readonly label: string;
  /** Null when `file` can go to this Trash, else why not (no Trash on that drive…). Writes nothing. */
  refusal(file: string): Promise<string | null>;
  /** Moves `file` to the Trash (see TrashMoveHooks); returns where it went. */
  moveToTrash(file: string, hooks: TrashMoveHooks): Promise<TrashPlace>;
  /**
   * After a crash: where a file whose move was intended is now — still in place (any bookkeeping
   * the Trash had written for it is removed), in the Trash, or in neither.
   */
  settle(file: string, place: TrashPlace): Promise<SettledMove>;
}

/** A source that cannot be moved or deleted: its folder is read-only or not writable by this user (it stays where it is). */
export class SourceNotMovable extends Error {
  override readonly name = 'SourceNotMovable';
}

/** A SourceNotMovable for a move or unlink of `file` that failed with EACCES, EPERM or EROFS; else null. */
export function notMovable(err: unknown, file: string): SourceNotMovable | null {
  if (!isErrno(err, 'EACCES', 'EPERM', 'EROFS')) return null;
  const why = isErrno(err, 'EROFS') ? 'is on a read-only drive' : 'is read-only or not writable by you (or the file is locked)';
  return new SourceNotMovable(`its folder ${path.dirname(file)} ${why}`);
}

/** `IMG_1.jpg` → `IMG_1.2.jpg` (a name for the n-th file of one name in one folder). */
export function numbered(base: string, n: number): string {
  const ext = path.extname(base);
  return ext && ext !== base ? `${base.slice(0, -ext.length)}.${n}${ext}` : `${base}.${n}`;
}

/**
 * Moves `from` back to `to` without replacing anything there: a hard link, then the old name
 * unlinked, so a file that appeared at `to` meanwhile is kept and this one takes a numbered name
 * beside it. Where the drive has no hard links (FAT and exFAT: camera cards), a rename to a name
 * found free. Returns where it went.
 */
export async function putBack(from: string, to: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const target = n === 1 ? to : path.join(path.dirname(to), numbered(path.basename(to), n));
    try {
      await fs.link(fsPath(from), fsPath(target));
    } catch (err) {
      if (isErrno(err, 'EEXIST')) continue;
      if (!isErrno(err, 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS')) throw err;
      if (await present(target)) continue;
      await fs.rename(fsPath(from), fsPath(target));
      return target;
    }
    await fs.unlink(fsPath(from));
    return target;
  }
  throw new Error(`no free name beside ${to} to put a file back`);
}

/** True if a regular file (or anything) is at `p`. */
export async function present(p: string): Promise<boolean> {
  try {
    await fs.lstat(fsPath(p));
    return true;
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false;
    throw err;
  }
}

/**
 * The Trash of a desktop shell that moves a file in one call and says nothing of where
 * (Electron's `shell.trashItem`, which uses the Finder / the Recycle Bin). Injected by the app,
 * so the engine never imports Electron.
 */
export class ShellTrash implements SystemTrash {
  constructor(private readonly trashItem: (file: string) => Promise<void>, readonly label = 'the Trash') {}

  refusal(): Promise<string | null> {
    return Promise.resolve(null);
  }

  async moveToTrash(file: string, hooks: TrashMoveHooks): Promise<TrashPlace> {
    const place = { trashDir: null, name: null };
    hooks.planned(place);
    await hooks.beforeMove();
    // The shell says nothing of where the file went, so what it took cannot be looked at after
    // the move: the window between the last look and this call is the shell's own.
    await this.trashItem(file);
    return place;
  }

  async settle(file: string): Promise<SettledMove> {
    // The shell's Trash is opaque: a file no longer in place went there (its move was the last step).
    return (await present(file)) ? 'untouched' : 'trashed';
  }
}
