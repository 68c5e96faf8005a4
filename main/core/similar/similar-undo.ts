import { randomBytes } from 'node:crypto';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import type { TrashService } from '../trash/trash-service.js';

/** What undoing a confirm did. */
export interface UndoResult {
  restored: number;
  /** Images that could not come back (purged from Trash or restored meanwhile). */
  gone: number;
  membershipsRemoved: number;
}

/** What one apply changed. */
interface Applied {
  trashed: number[];
  given: Array<{ albumId: number; fileId: number }>;
}

/** How many confirms can be undone (the most recent ones). */
const KEPT = 20;

/**
 * Undo for Similar images (issue #17): remembers what each confirm moved to Trash and which
 * album memberships it gave the kept images, and takes it back in one transaction — the
 * images come out of Trash into the albums they were in (TrashService.restore), and the kept
 * images leave the albums they joined only because of the confirm. [Note: Similar undo is
 * kept] The record is in the catalog, written in each apply's own transaction: the window's
 * "Undo" works after a restart, and `shoebox similar --undo` takes back the latest confirm of
 * either.
 */
export class SimilarUndo {
  constructor(private readonly ctx: EngineContext, private readonly trash: TrashService) {}

  /** A new, empty record; the oldest are forgotten past KEPT. */
  begin(): string {
    const id = randomBytes(8).toString('hex');
    const db = this.ctx.cdb.db;
    this.ctx.cdb.write(() => {
      db.prepare('INSERT INTO similar_undo (id, created_at) VALUES (?, ?)').run(id, this.ctx.now());
      db.prepare('DELETE FROM similar_undo WHERE id NOT IN (SELECT id FROM similar_undo ORDER BY created_at DESC, rowid DESC LIMIT ?)').run(KEPT);
    });
    return id;
  }

  /** Adds one applied group to a record (inside the apply's transaction). */
  record(id: string, applied: Applied): void {
    const put = this.ctx.cdb.db.prepare('INSERT INTO similar_undo_items (undo_id, file_id, album_id) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM similar_undo WHERE id = ?)');
    for (const f of applied.trashed) put.run(id, f, null, id);
    for (const g of applied.given) put.run(id, g.fileId, g.albumId, id);
  }

  /** The most recent confirm that moved anything and is not undone yet. */
  latest(): { id: string; appliedAt: number; trashed: number } | undefined {
    return this.ctx.cdb.db
      .prepare(
        `SELECT u.id, u.created_at AS appliedAt, (SELECT COUNT(*) FROM similar_undo_items i WHERE i.undo_id = u.id AND i.album_id IS NULL) AS trashed
         FROM similar_undo u WHERE EXISTS (SELECT 1 FROM similar_undo_items i WHERE i.undo_id = u.id) ORDER BY u.created_at DESC, u.rowid DESC LIMIT 1`,
      )
      .get() as { id: string; appliedAt: number; trashed: number } | undefined;
  }

  /** Undoes a record once. */
  undo(id: string): UndoResult {
    const db = this.ctx.cdb.db;
    const result = this.ctx.cdb.write(() => {
      if (!db.prepare('SELECT 1 FROM similar_undo WHERE id = ?').get(id)) throw new ShoeboxError('NOT_FOUND', `There is nothing to undo here any more (it was undone already, or ${KEPT} newer confirms came since). Images moved to Trash can still be restored from Trash.`);
      const items = db.prepare('SELECT file_id AS fileId, album_id AS albumId FROM similar_undo_items WHERE undo_id = ?').all(id) as Array<{ fileId: number; albumId: number | null }>;
      const ids = items.filter((i) => i.albumId === null).map((i) => i.fileId);
      const inTrash = ids.filter((fid) => db.prepare('SELECT 1 FROM files WHERE id = ? AND trashed_at IS NOT NULL').get(fid) !== undefined);
      const restored = inTrash.length ? this.trash.restore(inTrash) : 0;
      let membershipsRemoved = 0;
      for (const g of items) {
        if (g.albumId === null || db.prepare('SELECT 1 FROM memberships WHERE album_id = ? AND file_id = ?').get(g.albumId, g.fileId) === undefined) continue;
        this.ctx.catalog.removeMembership(g.albumId, g.fileId);
        membershipsRemoved++;
      }
      db.prepare('DELETE FROM similar_undo WHERE id = ?').run(id);
      return { restored, gone: ids.length - inTrash.length, membershipsRemoved };
    });
    return result;
  }
}
