import { randomBytes } from 'node:crypto';
import { ShoeboxError } from '../errors.js';
/** How many confirms can be undone (the most recent ones, while the engine runs). */
const KEPT = 20;
/**
 * Undo for Similar images (issue #17): remembers what each confirm moved to Trash and which
 * album memberships it gave the kept images, and takes it back in one transaction — the
 * images come out of Trash into the albums they were in (TrashService.restore), and the kept
 * images leave the albums they joined only because of the confirm. Held in memory: undo is the
 * window's "Undo" right after applying; later, Trash restores images one by one.
 */
export class SimilarUndo {
    ctx;
    trash;
    records = new Map();
    constructor(ctx, trash) {
        this.ctx = ctx;
        this.trash = trash;
    }
    /** A new, empty record; the oldest is forgotten past KEPT. */
    begin() {
        const id = randomBytes(8).toString('hex');
        this.records.set(id, []);
        while (this.records.size > KEPT)
            this.records.delete(this.records.keys().next().value);
        return id;
    }
    /** Adds one applied group to a record. */
    record(id, applied) {
        this.records.get(id)?.push(applied);
    }
    /** Undoes a record once. */
    undo(id) {
        const applied = this.records.get(id);
        if (!applied)
            throw new ShoeboxError('NOT_FOUND', 'There is nothing to undo here any more (it was undone already, or Shoebox restarted since). Images moved to Trash can still be restored from Trash.');
        const db = this.ctx.cdb.db;
        const result = this.ctx.cdb.write(() => {
            const ids = applied.flatMap((a) => a.trashed);
            const inTrash = ids.filter((fid) => db.prepare('SELECT 1 FROM files WHERE id = ? AND trashed_at IS NOT NULL').get(fid) !== undefined);
            const restored = inTrash.length ? this.trash.restore(inTrash) : 0;
            let membershipsRemoved = 0;
            for (const g of applied.flatMap((a) => a.given)) {
                if (db.prepare('SELECT 1 FROM memberships WHERE album_id = ? AND file_id = ?').get(g.albumId, g.fileId) === undefined)
                    continue;
                this.ctx.catalog.removeMembership(g.albumId, g.fileId);
                membershipsRemoved++;
            }
            return { restored, gone: ids.length - inTrash.length, membershipsRemoved };
        });
        this.records.delete(id);
        return result;
    }
}
//# sourceMappingURL=similar-undo.js.map