/** How many informational lines are kept; errors are kept until cleared. */
const KEEP_INFO = 2000;
/** Recent activity and per-file errors, stored in the catalog so every shell sees the same. */
export class ActivityLog {
    cdb;
    now;
    writes = 0;
    constructor(cdb, now = Date.now) {
        this.cdb = cdb;
        this.now = now;
    }
    /** Appends an entry (call inside the step's transaction when there is one). */
    record(level, code, message, path = null, fileId = null) {
        this.cdb.db.prepare('INSERT INTO activity (at, level, code, path, file_id, message) VALUES (?, ?, ?, ?, ?, ?)').run(this.now(), level, code, path, fileId, message);
        if (++this.writes % 500 === 0)
            this.prune();
    }
    /** Drops old informational lines beyond KEEP_INFO. */
    prune() {
        this.cdb.db
            .prepare(`DELETE FROM activity WHERE level = 'info' AND id <= (SELECT id FROM activity WHERE level = 'info' ORDER BY id DESC LIMIT 1 OFFSET ?)`)
            .run(KEEP_INFO);
    }
    /** The most recent entries, newest first. */
    recent(limit = 50, level) {
        const where = level ? 'WHERE level = ?' : '';
        const args = level ? [level, limit] : [limit];
        return this.cdb.db
            .prepare(`SELECT id, at, level, code, path, file_id AS fileId, message FROM activity ${where} ORDER BY id DESC LIMIT ?`)
            .all(...args);
    }
    /** Number of per-file errors recorded since `since` (ms). */
    errorCount(since = 0) {
        return this.cdb.db.prepare(`SELECT COUNT(*) AS n FROM activity WHERE level = 'error' AND at >= ?`).get(since).n;
    }
}
//# sourceMappingURL=activity-log.js.map