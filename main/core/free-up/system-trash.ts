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
    await this.trashItem(file);
    return place;
  }

  async settle(file: string): Promise<SettledMove> {
    // The shell's Trash is opaque: a file no longer in place went there (its move was the last step).
    return (await present(file)) ? 'untouched' : 'trashed';
  }
}
