/** Catalog queries for watches and the source records they own. No file system access. */
export class WatchStore {
    cdb;
    now;
    constructor(cdb, now = Date.now) {
        this.cdb = cdb;
        this.now = now;
    }
    get db() {
        return this.cdb.db;
    }
    /** Every watch, oldest first. */
    list() {
        return this.db.prepare('SELECT * FROM watches ORDER BY id').all().map(toRow);
    }
    /** The watch of exactly this folder. */
    byPath(path) {
        const r = this.db.prepare('SELECT * FROM watches WHERE path = ?').get(path);
        return r && toRow(r);
    }
    /** Stores a new watch. */
    insert(path, mode, poll, rootDev) {
        const id = Number(this.db.prepare('INSERT INTO watches (path, mode, poll, root_dev, added_at) VALUES (?, ?, ?, ?, ?)').run(path, mode, poll ? 1 : 0, rootDev, this.now()).lastInsertRowid);
        return this.byId(id);
    }
    /** The watch with this id. */
    byId(id) {
        const r = this.db.prepare('SELECT * FROM watches WHERE id = ?').get(id);
        return r && toRow(r);
    }
    /** Stops watching: the watch row goes, its source records stay (so re-adding uploads nothing twice). */
    remove(id) {
        this.db.prepare('UPDATE source_records SET watch_id = NULL WHERE watch_id = ?').run(id);
        this.db.prepare('DELETE FROM watches WHERE id = ?').run(id);
    }
    /** Pauses or resumes one watch (its changes are queued meanwhile). */
    setPaused(id, paused) {
        this.db.prepare('UPDATE watches SET paused = ? WHERE id = ?').run(paused ? 1 : 0, id);
    }
    /** Remembers the device of a watch's folder (first time it is seen mounted). */
    setRootDev(id, dev) {
        this.db.prepare('UPDATE watches SET root_dev = ? WHERE id = ?').run(dev, id);
    }
    /**
     * Source records under a folder: those of this watch, plus records left by an earlier watch of
     * the same folder (watch_id NULL after "stop watching") so a re-added folder is recognised.
     */
    records(watch) {
        return this.db
            .prepare(`SELECT id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId
         FROM source_records WHERE watch_id = ? OR (watch_id IS NULL AND path >= ? AND path < ?)`)
            .all(watch.id, `${watch.path}/`, `${watch.path}0`);
    }
    /**
     * Like records(), but one row at a time (for the reconciler over 100k+ files); `freed` is 1
     * for a path Free up space moved away ([Note: Freed is not deleted]).
     */
    iterateRecords(watch) {
        return this.db
            .prepare(`SELECT s.path, s.size, s.mtime_ms AS mtimeMs, s.ino, s.watch_id AS watchId, f.path IS NOT NULL AS freed
         FROM source_records s LEFT JOIN freed_sources f ON f.path = s.path
         WHERE s.watch_id = ? OR (s.watch_id IS NULL AND s.path >= ? AND s.path < ?)`)
            .iterate(watch.id, `${watch.path}/`, `${watch.path}0`);
    }
    /** This watch's records at exactly this path (one per album it mapped to; normally one). */
    recordsAt(watchId, path) {
        return this.db
            .prepare(`SELECT id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId FROM source_records WHERE watch_id = ? AND path = ?`)
            .all(watchId, path);
    }
    /** This watch's records under a folder (for a deleted folder). */
    recordsUnder(watchId, dir) {
        return this.db
            .prepare(`SELECT id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId FROM source_records WHERE watch_id = ? AND path >= ? AND path < ?`)
            .all(watchId, `${dir}/`, `${dir}0`);
    }
    /** Records of this watch that could be the origin of a moved file (same inode and size, or same hash). */
    moveCandidates(watchId, by) {
        const cols = `id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId`;
        return 'hash' in by
            ? this.db.prepare(`SELECT ${cols} FROM source_records WHERE watch_id = ? AND hash = ?`).all(watchId, by.hash)
            : this.db.prepare(`SELECT ${cols} FROM source_records WHERE watch_id = ? AND ino = ? AND size = ?`).all(watchId, by.ino, by.size);
    }
    /** Updates a record's stat after a touch that did not change the content. */
    touchRecord(id, size, mtimeMs, ino) {
        this.db.prepare('UPDATE source_records SET size = ?, mtime_ms = ?, ino = ?, recorded_at = ? WHERE id = ?').run(size, mtimeMs, ino, this.now(), id);
    }
    /** Makes a record left by a manual upload or an earlier watch of this folder part of this watch. */
    adoptRecord(id, watchId) {
        this.db.prepare('UPDATE source_records SET watch_id = ? WHERE id = ? AND watch_id IS NULL').run(watchId, id);
    }
    /** Deletes one source record. */
    deleteRecord(id) {
        this.db.prepare('DELETE FROM source_records WHERE id = ?').run(id);
    }
    /** Points a record at a new path/album/file (a move inside the watch). */
    moveRecord(id, path, albumId, fileId) {
        this.db.prepare('UPDATE source_records SET path = ?, album_id = ?, file_id = ?, recorded_at = ? WHERE id = ?').run(path, albumId, fileId, this.now(), id);
    }
    /** True if some other source record still maps this file into this album (then the membership stays). */
    otherRecordMaps(fileId, albumId, exceptRecordId) {
        return this.db.prepare('SELECT 1 FROM source_records WHERE file_id = ? AND album_id = ? AND id != ? LIMIT 1').get(fileId, albumId, exceptRecordId) !== undefined;
    }
    /** How many source records point at this file. */
    recordCount(fileId) {
        return this.db.prepare('SELECT COUNT(*) AS n FROM source_records WHERE file_id = ?').get(fileId).n;
    }
    /** Files and bytes a watch has backed up. */
    counts(watchId) {
        return this.db.prepare('SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM source_records WHERE watch_id = ?').get(watchId);
    }
    /** True if the user deleted the library copy of this source (re-upload protection). */
    isIgnored(path, hash) {
        return this.db.prepare('SELECT 1 FROM ignored_sources WHERE path = ? AND hash = ?').get(path, hash) !== undefined;
    }
    /** Forgets every ignored source ("Reset ignored files"); returns how many. */
    resetIgnored() {
        return this.db.prepare('DELETE FROM ignored_sources').run().changes;
    }
}
function toRow(r) {
    return { id: r.id, path: r.path, mode: r.mode, poll: r.poll === 1, paused: r.paused === 1, rootDev: r.root_dev, addedAt: r.added_at };
}
//# sourceMappingURL=watch-store.js.map