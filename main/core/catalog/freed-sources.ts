import type { CatalogDb } from './catalog.js';

/** How a freed source left its place. */
export type FreeMethod = 'trash' | 'shell' | 'delete';

/** Where a freed source is: on its way (an intent a crash may have cut short), in a Trash, or deleted. */
export type FreedState = 'moving' | 'trashed' | 'deleted';

/** A source Free up space moved to the system Trash (or deleted), with what was verified of it. */
export interface FreedRow {
  path: string;
  hash: string;
  size: number;
  mtimeMs: number;
  ino: number;
  method: FreeMethod;
  state: FreedState;
  /** The freedesktop Trash folder it went to (null for the desktop shell's Trash and for deletions). */
  trashDir: string | null;
  /** Its name in that Trash's files/ (and info/NAME.trashinfo). */
  trashName: string | null;
  freedAt: number;
}

const COLS = `path, hash, size, mtime_ms AS mtimeMs, ino, method, state, trash_dir AS trashDir, trash_name AS trashName, freed_at AS freedAt`;

/**
 * [Note: Freed is not deleted]
 * A source freed by Free up space (issue #20) is remembered here by path. Its source records
 * stay, so its library file stays in every album; a watch that sees the path gone does not
 * treat it as deleted (no membership removed, nothing to Uncategorized), and a freed file put
 * back (restored from the system Trash) matches its records and is not uploaded again — the
 * row is then forgotten, so a later real deletion counts as one. The row is written as an
 * intent ('moving') before the file is touched and completed after, so a crash in between is
 * settled on the next start (free-up-service.ts, `settleInterrupted`).
 * Catalog queries only; every mutating method expects to run inside CatalogDb.write().
 */
export class FreedSources {
  constructor(private readonly cdb: CatalogDb, private readonly now: () => number = Date.now) {}

  private get db() {
    return this.cdb.db;
  }

  /** Freed files directly in this folder (not in its subfolders). */
  inFolder(dir: string): FreedRow[] {
    return this.db
      .prepare(`SELECT ${COLS} FROM freed_sources WHERE path > ? AND path < ? AND instr(substr(path, ?), '/') = 0`)
      .all(`${dir}/`, `${dir}0`, dir.length + 2) as FreedRow[];
  }

  /** The row for a path, if it was freed (or is being freed). */
  get(path: string): FreedRow | undefined {
    return this.db.prepare(`SELECT ${COLS} FROM freed_sources WHERE path = ?`).get(path) as FreedRow | undefined;
  }

  /** Records the intent to free a source, before anything is done to it. */
  intend(r: Omit<FreedRow, 'state' | 'freedAt'>): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO freed_sources (path, hash, size, mtime_ms, ino, method, state, trash_dir, trash_name, freed_at)
         VALUES (@path, @hash, @size, @mtimeMs, @ino, @method, 'moving', @trashDir, @trashName, @at)`,
      )
      .run({ ...r, at: this.now() });
  }

  /** Marks an intent done: the source is in the Trash, or deleted. */
  complete(path: string, state: Exclude<FreedState, 'moving'>): void {
    this.db.prepare('UPDATE freed_sources SET state = ?, freed_at = ? WHERE path = ?').run(state, this.now(), path);
  }

  /** Forgets a path (its intent was undone, or the file is back where it was). */
  forget(path: string): void {
    this.db.prepare('DELETE FROM freed_sources WHERE path = ?').run(path);
  }

  /**
   * A file is at a freed path again; `now` is what it is (size, date, inode). If it is the freed
   * file itself, put back from the system Trash (same size, date and inode), the row is forgotten
   * and the source records stay: nothing is read or stored. Anything else there — a new photo
   * reusing the name (cameras restart IMG_0001), a copy restored with a new date — is not the
   * freed file: the freed file's source records at this path go too, so the watch takes the file
   * as a new one. The freed file's library copy then stays in its albums instead of becoming
   * the new file's "earlier version" in Uncategorized, and identical bytes are still recognised
   * by their hash and not stored twice. Intents stay for settling. Returns true if a row was forgotten.
   */
  forgetReturned(path: string, now: { size: number; mtimeMs: number; ino: number }): boolean {
    const row = this.get(path);
    if (!row || row.state === 'moving') return false;
    this.forget(path);
    const same = now.size === row.size && Math.trunc(now.mtimeMs) === row.mtimeMs && now.ino === row.ino;
    if (!same) this.db.prepare('DELETE FROM source_records WHERE path = ? AND hash = ?').run(path, row.hash);
    return true;
  }

  /** Intents a crash may have cut short. */
  moving(): FreedRow[] {
    return this.db.prepare(`SELECT ${COLS} FROM freed_sources WHERE state = 'moving' ORDER BY path`).all() as FreedRow[];
  }

  /** How many sources were freed, and their bytes. */
  totals(): { files: number; bytes: number } {
    return this.db.prepare(`SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM freed_sources WHERE state != 'moving'`).get() as { files: number; bytes: number };
  }
}
