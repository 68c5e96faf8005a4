import { randomBytes } from 'node:crypto';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import type { TrashService } from '../trash/trash-service.js';

/** What undoing a confirm did. */
export interface UndoResult {
  restored: number;
  /** Images that could not come back (purged from Trash, restored from it, or put back in Trash by someone since). */
  gone: number;
  membershipsRemoved: number;
  /** Memberships of kept images left in place: the images they stood in for did not come back into that album. */
  membershipsKept: number;
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

  /** Adds one applied group to a record (inside the apply's transaction, after its images went to Trash). */
  record(id: string, applied: Applied): void {
    const db = this.ctx.cdb.db;
    const trashed = db.prepare(
      `INSERT INTO similar_undo_items (undo_id, file_id, album_id, trashed_at)
       SELECT @id, f.id, NULL, f.trashed_at FROM files f WHERE f.id = @file AND f.trashed_at IS NOT NULL AND EXISTS (SELECT 1 FROM similar_undo WHERE id = @id)`,
    );
    const given = db.prepare('INSERT INTO similar_undo_items (undo_id, file_id, album_id) SELECT @id, @file, @album WHERE EXISTS (SELECT 1 FROM similar_undo WHERE id = @id)');
    for (const f of applied.trashed) trashed.run({ id, file: f });
    for (const g of applied.given) given.run({ id, file: g.fileId, album: g.albumId });
  }

  /** The most recent confirm that is not undone yet and has an image it moved still in the library (one whose every image was purged from Trash has nothing to take back). */
  latest(): { id: string; appliedAt: number; trashed: number } | undefined {
    return this.ctx.cdb.db
      .prepare(
        `SELECT u.id, u.created_at AS appliedAt, (SELECT COUNT(*) FROM similar_undo_items i WHERE i.undo_id = u.id AND i.album_id IS NULL) AS trashed
         FROM similar_undo u WHERE EXISTS (SELECT 1 FROM similar_undo_items i JOIN files f ON f.id = i.file_id WHERE i.undo_id = u.id AND i.album_id IS NULL)
         ORDER BY u.created_at DESC, u.rowid DESC LIMIT 1`,
      )
      .get() as { id: string; appliedAt: number; trashed: number } | undefined;
  }

  /** Undoes a record once. */
  undo(id: string): UndoResult {
    const db = this.ctx.cdb.db;
    const result = this.ctx.cdb.write(() => {
      if (!db.prepare('SELECT 1 FROM similar_undo WHERE id = ?').get(id)) throw new ShoeboxError('NOT_FOUND', `There is nothing to undo here any more (it was undone already, or ${KEPT} newer confirms came since). Images moved to Trash can still be restored from Trash.`);
      const items = db.prepare('SELECT file_id AS fileId, album_id AS albumId, trashed_at AS trashedAt FROM similar_undo_items WHERE undo_id = ?').all(id) as Array<{ fileId: number; albumId: number | null; trashedAt: number | null }>;
      const trashed = items.filter((i) => i.albumId === null);
      // only what is still in Trash from this confirm: not a file restored and deleted again since
      const trashedAt = db.prepare('SELECT trashed_at AS t FROM files WHERE id = ?');
      const stillFromIt = trashed.filter((i) => (trashedAt.get(i.fileId) as { t: number | null } | undefined)?.t === i.trashedAt).map((i) => i.fileId);
      const restored = stillFromIt.length ? this.trash.restore(stillFromIt) : 0;
      // A kept image leaves an album it was given only where an image it stood in for is back in
      // it — brought back now or restored from Trash by you before, or a newer version of it (its
      // watched file edited meanwhile): else the album would lose the scene (its images purged
      // from Trash meanwhile, say).
      const standIns = JSON.stringify(trashed.map((i) => i.fileId));
      const backIn = db.prepare(
        `WITH RECURSIVE v(id) AS (SELECT value FROM json_each(@ids) UNION SELECT f.id FROM files f JOIN v ON f.previous_version_id = v.id)
         SELECT 1 FROM memberships m JOIN files f ON f.id = m.file_id AND f.trashed_at IS NULL WHERE m.album_id = @album AND m.file_id IN (SELECT id FROM v) LIMIT 1`,
      );
      const isMember = db.prepare('SELECT 1 FROM memberships WHERE album_id = ? AND file_id = ?');
      let membershipsRemoved = 0;
      let membershipsKept = 0;
      for (const g of items) {
        if (g.albumId === null || isMember.get(g.albumId, g.fileId) === undefined) continue;
        if (backIn.get({ ids: standIns, album: g.albumId }) === undefined) {
          membershipsKept++;
          continue;
        }
        this.ctx.catalog.removeMembership(g.albumId, g.fileId);
        membershipsRemoved++;
      }
      db.prepare('DELETE FROM similar_undo WHERE id = ?').run(id);
      return { restored, gone: trashed.length - stillFromIt.length, membershipsRemoved, membershipsKept };
    });
    return result;
  }
}
