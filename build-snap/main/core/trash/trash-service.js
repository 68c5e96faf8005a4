import fs from 'node:fs';
import { blobPath } from '../blobs/blob-store.js';
import { ShoeboxError, isErrno } from '../errors.js';
import { injectFault } from '../faults.js';
/** How long a file stays in Trash before it is purged (DESIGN §1). */
export const TRASH_DAYS = 30;
/**
 * Trash (DESIGN §1): removed files keep their bytes and remember their albums, so they can be
 * restored; purge (issue #5) removes them for good. Moving to Trash never removes bytes.
 */
export class TrashService {
    ctx;
    constructor(ctx) {
        this.ctx = ctx;
    }
    /**
     * Moves live files to Trash in one transaction: their memberships are remembered and removed.
     * `forgetSources`: the user deleted them, so their watched sources must not be uploaded again
     * (re-upload protection); dedup passes false because the content stays in the library.
     */
    trash(fileIds, opts) {
        const db = this.ctx.cdb.db;
        const now = this.ctx.now();
        return this.ctx.cdb.write(() => {
            let n = 0;
            for (const id of fileIds) {
                const row = db.prepare('SELECT name FROM files WHERE id = ? AND trashed_at IS NULL').get(id);
                if (!row)
                    continue;
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
    restore(fileIds) {
        const db = this.ctx.cdb.db;
        const { catalog } = this.ctx;
        return this.ctx.cdb.write(() => {
            let n = 0;
            for (const id of fileIds) {
                const row = db.prepare('SELECT name FROM files WHERE id = ? AND trashed_at IS NOT NULL').get(id);
                if (!row) {
                    const exists = db.prepare('SELECT 1 FROM files WHERE id = ?').get(id) !== undefined;
                    throw new ShoeboxError('NOT_FOUND', exists ? `File ${id} is not in Trash.` : `File ${id} is not in the library (if it was in Trash, it has been purged).`);
                }
                db.prepare('UPDATE files SET trashed_at = NULL WHERE id = ?').run(id);
                db.prepare(`INSERT OR IGNORE INTO memberships (album_id, file_id, added_at)
           SELECT t.album_id, t.file_id, ? FROM trash_memberships t JOIN albums a ON a.id = t.album_id WHERE t.file_id = ? AND a.kind = 'user'`).run(this.ctx.now(), id);
                db.prepare('DELETE FROM trash_memberships WHERE file_id = ?').run(id);
                db.prepare('DELETE FROM ignored_sources WHERE hash = (SELECT blob_hash FROM files WHERE id = ?)').run(id);
                catalog.settleUncategorized(id);
                this.ctx.activity.record('info', 'RESTORED', `${row.name} restored from Trash`, null, id);
                n++;
            }
            return n;
        });
    }
    /**
     * Deletes files from Trash for good: those trashed before `before` (default: 30 days ago), or
     * all. Blobs no longer referenced by any file (Trash included) or live-photo part are removed
     * after the catalog commit; a crash in between leaves only stray blobs, collected later.
     */
    purge(opts = {}) {
        const db = this.ctx.cdb.db;
        const cutoff = opts.all ? Number.MAX_SAFE_INTEGER : (opts.before ?? this.ctx.now() - TRASH_DAYS * 86_400_000);
        const doomed = this.ctx.cdb.write(() => {
            const ids = db.prepare('SELECT id FROM files WHERE trashed_at IS NOT NULL AND trashed_at <= ?').all(cutoff).map((r) => r.id);
            const hashes = new Set();
            for (const id of ids) {
                const f = db.prepare('SELECT blob_hash AS h FROM files WHERE id = ?').get(id);
                hashes.add(f.h);
                const live = db.prepare('SELECT blob_hash AS h FROM live_parts WHERE file_id = ?').get(id);
                if (live)
                    hashes.add(live.h);
                db.prepare('DELETE FROM live_parts WHERE file_id = ?').run(id);
                db.prepare('DELETE FROM trash_memberships WHERE file_id = ?').run(id);
                db.prepare('DELETE FROM memberships WHERE file_id = ?').run(id);
                db.prepare('DELETE FROM source_records WHERE file_id = ?').run(id);
                db.prepare('UPDATE files SET previous_version_id = NULL WHERE previous_version_id = ?').run(id);
                db.prepare('DELETE FROM files WHERE id = ?').run(id);
            }
            const unreferenced = [];
            for (const h of hashes) {
                const used = db.prepare('SELECT 1 FROM files WHERE blob_hash = ? UNION ALL SELECT 1 FROM live_parts WHERE blob_hash = ? LIMIT 1').get(h, h);
                if (used)
                    continue;
                const b = db.prepare('SELECT size FROM blobs WHERE hash = ?').get(h);
                db.prepare('DELETE FROM blobs WHERE hash = ?').run(h);
                unreferenced.push({ hash: h, size: b?.size ?? 0 });
            }
            if (ids.length > 0)
                this.ctx.activity.record('info', 'PURGED', `${ids.length} file${ids.length === 1 ? '' : 's'} deleted from Trash for good`);
            return { files: ids.length, unreferenced };
        });
        injectFault('purge-committed');
        const result = { files: doomed.files, blobsRemoved: 0, bytesFreed: 0, missingBlobs: [], removedHashes: [] };
        for (const b of doomed.unreferenced) {
            injectFault('purge-unlink');
            try {
                fs.rmSync(blobPath(this.ctx.paths.objects, b.hash));
                result.bytesFreed += b.size;
            }
            catch (err) {
                if (!isErrno(err, 'ENOENT'))
                    throw err;
                result.missingBlobs.push(b.hash);
            }
            result.blobsRemoved++;
            result.removedHashes.push(b.hash);
        }
        if (result.missingBlobs.length > 0) {
            this.ctx.cdb.write(() => this.ctx.activity.record('error', 'BLOB_MISSING', `${result.missingBlobs.length} purged file(s) had already lost their stored bytes (${result.missingBlobs.map((h) => h.slice(0, 12)).join(', ')}); the catalog is consistent. Run \`shoebox check\`.`));
        }
        return result;
    }
    /** Files in Trash, most recently trashed first. */
    list() {
        const rows = this.ctx.cdb.db
            .prepare(`SELECT f.id AS fileId, f.name, f.size, f.trashed_at AS trashedAt, GROUP_CONCAT(a.name, char(30)) AS albums
         FROM files f LEFT JOIN trash_memberships t ON t.file_id = f.id LEFT JOIN albums a ON a.id = t.album_id
         WHERE f.trashed_at IS NOT NULL GROUP BY f.id ORDER BY f.trashed_at DESC, f.id`)
            .all();
        return rows.map((r) => ({ ...r, albums: r.albums ? r.albums.split('\u001e') : [] }));
    }
}
//# sourceMappingURL=trash-service.js.map