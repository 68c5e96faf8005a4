import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';

/** A file in Trash. */
export interface TrashedFile {
  fileId: number;
  name: string;
  size: number;
  trashedAt: number;
  albums: string[];
}

/**
 * Trash (DESIGN §1): removed files keep their bytes and remember their albums, so they can be
 * restored; purge (issue #5) removes them for good. Moving to Trash never removes bytes.
 */
export class TrashService {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Moves live files to Trash in one transaction: their memberships are remembered and removed.
   * `forgetSources`: the user deleted them, so their watched sources must not be uploaded again
   * (re-upload protection); dedup passes false because the content stays in the library.
   */
  trash(fileIds: number[], opts: { forgetSources: boolean; reason: string }): number {
    const db = this.ctx.cdb.db;
    const now = this.ctx.now();
    return this.ctx.cdb.write(() => {
      let n = 0;
      for (const id of fileIds) {
        const row = db.prepare('SELECT name FROM files WHERE id = ? AND trashed_at IS NULL').get(id) as { name: string } | undefined;
        if (!row) continue;
        db.prepare('INSERT OR IGNORE INTO trash_memberships (file_id, album_id) SELECT file_id, album_id FROM memberships WHERE file_id = ?').run(id);
        db.prepare('DELETE FROM memberships WHERE file_id = ?').run(id);
        db.prepare('UPDATE files SET trashed_at = ? WHERE id = ?').run(now, id);
        if (opts.forgetSources) {
          // Remember the sources as deleted-by-user and drop their records, so a watch sees them
          // as new, hashes them, and refuses them (until "Reset ignored files").
          db.prepare('INSERT OR IGNORE INTO ignored_sources (path, hash, ignored_at) SELECT path, hash, ? FROM source_records WHERE file_id = ?').run(now, id);
          db.prepare('DELETE FROM source_records WHERE file_id = ?').run(id);
        }
        this.ctx.activity.record('info', 'TRASHED', `${row.name} moved to Trash (${opts.reason})`, null, id);
        n++;
      }
      return n;
    });
  }

  /** Restores files from Trash: back into the albums they were in (those that still exist), else Uncategorized. */
  restore(fileIds: number[]): number {
    const db = this.ctx.cdb.db;
    const { catalog } = this.ctx;
    return this.ctx.cdb.write(() => {
      let n = 0;
      for (const id of fileIds) {
        const row = db.prepare('SELECT name FROM files WHERE id = ? AND trashed_at IS NOT NULL').get(id) as { name: string } | undefined;
        if (!row) {
          const exists = db.prepare('SELECT 1 FROM files WHERE id = ?').get(id) !== undefined;
          throw new ShoeboxError('NOT_FOUND', exists ? `File ${id} is not in Trash.` : `File ${id} is not in the library (if it was in Trash, it has been purged).`);
        }
        db.prepare('UPDATE files SET trashed_at = NULL WHERE id = ?').run(id);
        db.prepare(
          `INSERT OR IGNORE INTO memberships (album_id, file_id, added_at)
           SELECT t.album_id, t.file_id, ? FROM trash_memberships t JOIN albums a ON a.id = t.album_id WHERE t.file_id = ? AND a.kind = 'user'`,
        ).run(this.ctx.now(), id);
        db.prepare('DELETE FROM trash_memberships WHERE file_id = ?').run(id);
        db.prepare('DELETE FROM ignored_sources WHERE hash = (SELECT blob_hash FROM files WHERE id = ?)').run(id);
        catalog.settleUncategorized(id);
        this.ctx.activity.record('info', 'RESTORED', `${row.name} restored from Trash`, null, id);
        n++;
      }
      return n;
    });
  }

  /** Files in Trash, most recently trashed first. */
  list(): TrashedFile[] {
    const rows = this.ctx.cdb.db
      .prepare(
        `SELECT f.id AS fileId, f.name, f.size, f.trashed_at AS trashedAt, GROUP_CONCAT(a.name, char(30)) AS albums
         FROM files f LEFT JOIN trash_memberships t ON t.file_id = f.id LEFT JOIN albums a ON a.id = t.album_id
         WHERE f.trashed_at IS NOT NULL GROUP BY f.id ORDER BY f.trashed_at DESC, f.id`,
      )
      .all() as Array<Omit<TrashedFile, 'albums'> & { albums: string | null }>;
    return rows.map((r) => ({ ...r, albums: r.albums ? r.albums.split('\u001e') : [] }));
  }
}
