// [Note: Timeline order] (migration 6): this expression and the files_timeline index go together.
const AT = 'COALESCE(f.taken_at, f.modified_at, f.created_at)';
const SOURCE = `COALESCE(f.date_source, CASE WHEN f.taken_at IS NOT NULL THEN 'exif' WHEN f.modified_at IS NOT NULL THEN 'mtime' ELSE 'added' END)`;
/** The catalog's queries for capture dates and the All photos timeline. */
export class TimelineCatalog {
    cdb;
    constructor(cdb) {
        this.cdb = cdb;
    }
    get db() {
        return this.cdb.db;
    }
    /** Live files per day (by capture date, wall clock), newest day first. */
    days() {
        // Whole days since the epoch in integer arithmetic (strftime per row was 5× slower on 100k files),
        // the ISO day is made once per day here.
        const rows = this.db
            .prepare(`SELECT ${AT} / 86400000 - (${AT} < 0 AND ${AT} % 86400000 != 0) AS d, COUNT(*) AS count FROM files f WHERE f.trashed_at IS NULL GROUP BY d ORDER BY d DESC`)
            .all();
        return rows.map((r) => ({ day: new Date(r.d * 86_400_000).toISOString().slice(0, 10), count: r.count }));
    }
    /** One page of the timeline, newest first (the order of `days`). */
    page(offset, limit) {
        return this.db
            .prepare(`SELECT f.id AS fileId, f.name, f.size, f.media_type AS mediaType, f.width, f.height, f.taken_at AS takenAt, ${AT} AS at, ${SOURCE} AS dateSource
         FROM files f INDEXED BY files_timeline WHERE f.trashed_at IS NULL ORDER BY ${AT} DESC, f.id DESC LIMIT ? OFFSET ?`)
            .all(limit, offset);
    }
    /** How many live files there are. */
    liveCount() {
        return this.db.prepare('SELECT COUNT(*) AS n FROM files WHERE trashed_at IS NULL').get().n;
    }
    /** Files (Trash included) whose date is not found yet, in id order after `afterId`. */
    undated(afterId, limit) {
        return this.db
            .prepare(`SELECT id AS fileId, name, blob_hash AS hash, media_type AS mediaType, modified_at AS modifiedAt, created_at AS createdAt FROM files INDEXED BY files_undated WHERE date_source IS NULL AND id > ? ORDER BY id LIMIT ?`)
            .all(afterId, limit);
    }
    /** How many files still have no date. */
    undatedCount() {
        return this.db.prepare('SELECT COUNT(*) AS n FROM files WHERE date_source IS NULL').get().n;
    }
    /**
     * Records found dates (run inside CatalogDb.write). A date from the bytes (EXIF, QuickTime)
     * holds for every undated file with those bytes; dimensions fill in where unknown.
     */
    setDates(found) {
        const one = this.db.prepare('UPDATE files SET taken_at = ?, date_source = ?, camera = COALESCE(?, camera), width = COALESCE(width, ?), height = COALESCE(height, ?) WHERE id = ? AND date_source IS NULL');
        const same = this.db.prepare('UPDATE files SET taken_at = ?, date_source = ?, camera = COALESCE(?, camera), width = COALESCE(width, ?), height = COALESCE(height, ?) WHERE blob_hash = ? AND date_source IS NULL');
        for (const f of found) {
            if (f.source === 'exif' || f.source === 'quicktime')
                same.run(f.takenAt, f.source, f.camera, f.width, f.height, f.hash);
            else
                one.run(f.takenAt, f.source, f.camera, f.width, f.height, f.fileId);
        }
    }
}
/** The info of one file, or undefined if there is no such file. */
export function fileInfoRow(cdb, fileId) {
    const db = cdb.db;
    const f = db
        .prepare(`SELECT f.id AS fileId, f.name, f.size, f.media_type AS mediaType, f.width, f.height, ${AT} AS at, ${SOURCE} AS dateSource, f.camera,
              f.created_at AS addedAt, f.trashed_at IS NOT NULL AS trashed FROM files f WHERE f.id = ?`)
        .get(fileId);
    if (!f)
        return undefined;
    const albums = db.prepare(`SELECT a.id, a.name FROM memberships m JOIN albums a ON a.id = m.album_id WHERE m.file_id = ? ORDER BY a.kind = 'uncategorized', a.name`).all(fileId);
    const sourcePaths = db.prepare('SELECT DISTINCT path FROM source_records WHERE file_id = ? ORDER BY path').all(fileId).map((r) => r.path);
    const live = db.prepare('SELECT name, size, media_type AS mediaType FROM live_parts WHERE file_id = ?').get(fileId);
    return { ...f, trashed: f.trashed === 1, albums, sourcePaths, livePart: live ?? null };
}
//# sourceMappingURL=timeline-catalog.js.map