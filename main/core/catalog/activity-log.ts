import type { CatalogDb } from './catalog.js';

/** One line of recent activity or a per-file error, as shown in status. */
export interface ActivityEntry {
  id: number;
  at: number;
  level: 'info' | 'error';
  code: string;
  path: string | null;
  fileId: number | null;
  message: string;
}

/** How many informational lines are kept; errors are kept until cleared ([Note: Current errors]). */
const KEEP_INFO = 2000;

/** Recent activity and per-file errors, stored in the catalog so every shell sees the same. */
export class ActivityLog {
  private writes = 0;

  constructor(private readonly cdb: CatalogDb, private readonly now: () => number = Date.now) {}

  /** Appends an entry (call inside the step's transaction when there is one). */
  record(level: 'info' | 'error', code: string, message: string, path: string | null = null, fileId: number | null = null): void {
    this.cdb.db.prepare('INSERT INTO activity (at, level, code, path, file_id, message) VALUES (?, ?, ?, ?, ?, ?)').run(this.now(), level, code, path, fileId, message);
    if (++this.writes % 500 === 0) this.prune();
  }

  /** Drops old informational lines beyond KEEP_INFO. */
  prune(): void {
    this.cdb.db
      .prepare(`DELETE FROM activity WHERE level = 'info' AND id <= (SELECT id FROM activity WHERE level = 'info' ORDER BY id DESC LIMIT 1 OFFSET ?)`)
      .run(KEEP_INFO);
  }

  /** The most recent entries, newest first. */
  recent(limit = 50, level?: 'info' | 'error'): ActivityEntry[] {
    const where = level ? 'WHERE level = ?' : '';
    const args = level ? [level, limit] : [limit];
    return this.cdb.db
      .prepare(`SELECT id, at, level, code, path, file_id AS fileId, message FROM activity ${where} ORDER BY id DESC LIMIT ?`)
      .all(...args) as ActivityEntry[];
  }

  /**
   * [Note: Current errors]
   * Status says how many files could not be backed up: files, not attempts, and only those still
   * in trouble. A watched file that fails is tried again at each change and at each start, and
   * each try is recorded; so an error counts once per path (its latest entry), and a file's
   * errors are cleared (clearErrors) once it is backed up, or deleted from its folder. Errors
   * without a path (a catalog or purge problem) count one each.
   */
  errorCount(since = 0): number {
    return (this.cdb.db.prepare(`SELECT COUNT(DISTINCT COALESCE(path, '#' || id)) AS n FROM activity WHERE level = 'error' AND at >= ?`).get(since) as { n: number }).n;
  }

  /** The most recent error of each path (and every error without one), newest first. */
  recentErrors(limit = 50): ActivityEntry[] {
    return this.cdb.db
      .prepare(
        `SELECT id, at, level, code, path, file_id AS fileId, message FROM activity
         WHERE id IN (SELECT MAX(id) FROM activity WHERE level = 'error' GROUP BY COALESCE(path, '#' || id))
         ORDER BY id DESC LIMIT ?`,
      )
      .all(limit) as ActivityEntry[];
  }

  /** The latest error of each file under this folder (what a first sync of it could not back up), by path. */
  errorsUnder(dir: string, limit = 1000): ActivityEntry[] {
    return this.cdb.db
      .prepare(
        `SELECT id, at, level, code, path, file_id AS fileId, message FROM activity
         WHERE id IN (SELECT MAX(id) FROM activity WHERE level = 'error' AND path > ? AND path < ? GROUP BY path)
         ORDER BY path LIMIT ?`,
      )
      .all(`${dir}/`, `${dir}0`, limit) as ActivityEntry[];
  }

  /** Forgets every error (the person dismissed them; a file still in trouble is recorded again at its next try); returns how many files' errors went. */
  dismissErrors(): number {
    const n = this.errorCount();
    this.cdb.db.prepare(`DELETE FROM activity WHERE level = 'error'`).run();
    return n;
  }

  /** Forgets the errors of every file under this folder, or only those with this code (call inside a write). */
  clearErrorsUnder(dir: string, code?: string): void {
    const byCode = code === undefined ? '' : ' AND code = ?';
    this.cdb.db.prepare(`DELETE FROM activity WHERE level = 'error' AND path > ? AND path < ?${byCode}`).run(`${dir}/`, `${dir}0`, ...(code === undefined ? [] : [code])); // '0' follows '/'
  }

  /** The paths that have errors recorded (at most `limit`). */
  errorPaths(limit: number): string[] {
    return (this.cdb.db.prepare(`SELECT DISTINCT path FROM activity WHERE level = 'error' AND path IS NOT NULL LIMIT ?`).all(limit) as { path: string }[]).map((r) => r.path);
  }

  /** Paths under `root` (and `root`) with a recorded "cannot be read" error. */
  unreadableUnder(root: string): string[] {
    return this.cdb.db
      .prepare(`SELECT DISTINCT path FROM activity WHERE level = 'error' AND code = 'SOURCE_UNREADABLE' AND (path = ? OR (path > ? AND path < ?))`)
      .pluck()
      .all(root, `${root}/`, `${root}0`) as string[];
  }

  /** Forgets the errors of these paths: they are backed up now, or gone (call inside the step's transaction). */
  clearErrors(paths: Iterable<string>): void {
    const del = this.cdb.db.prepare(`DELETE FROM activity INDEXED BY activity_error_path WHERE level = 'error' AND path = ?`);
    for (const p of paths) del.run(p);
  }
}

