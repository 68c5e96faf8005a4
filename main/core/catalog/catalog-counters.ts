import type Database from 'better-sqlite3';

/** Files and bytes. */
export interface Count {
  n: number;
  bytes: number;
}

const TABLE = 'temp.shoebox_counts';
const TRIGGERS: Record<string, string> = {
  shoebox_sources_insert: `AFTER INSERT ON main.source_records WHEN NEW.watch_id IS NOT NULL BEGIN
    UPDATE ${TABLE} SET n = n + 1, bytes = bytes + NEW.size WHERE key = 'watch:' || NEW.watch_id; END`,
  shoebox_sources_delete: `AFTER DELETE ON main.source_records WHEN OLD.watch_id IS NOT NULL BEGIN
    UPDATE ${TABLE} SET n = n - 1, bytes = bytes - OLD.size WHERE key = 'watch:' || OLD.watch_id; END`,
  shoebox_sources_update: `AFTER UPDATE OF watch_id, size ON main.source_records BEGIN
    UPDATE ${TABLE} SET n = n - 1, bytes = bytes - OLD.size WHERE key = 'watch:' || OLD.watch_id;
    UPDATE ${TABLE} SET n = n + 1, bytes = bytes + NEW.size WHERE key = 'watch:' || NEW.watch_id; END`,
  shoebox_blobs_insert: `AFTER INSERT ON main.blobs BEGIN
    UPDATE ${TABLE} SET n = n + 1, bytes = bytes + NEW.size WHERE key = 'blobs'; END`,
  shoebox_blobs_delete: `AFTER DELETE ON main.blobs BEGIN
    UPDATE ${TABLE} SET n = n - 1, bytes = bytes - OLD.size WHERE key = 'blobs'; END`,
  shoebox_blobs_update: `AFTER UPDATE OF size ON main.blobs BEGIN
    UPDATE ${TABLE} SET bytes = bytes - OLD.size + NEW.size WHERE key = 'blobs'; END`,
};

/**
 * [Note: Counts kept by temp triggers]
 * Status is asked for several times a second (the window's clicks and pushed events,
 * run-status.json), and at 100k files counting a watch's records and bytes took 200–400 ms of
 * the main thread per call under load (issue #18: every click waited for it). So the counts are
 * computed once and then kept exact by TEMP triggers on this connection: they exist only in this
 * connection (nothing is added to the library file: no migration), run inside the transaction of
 * the write that fires them (a rollback takes the change back with it) and see every write this
 * connection makes, whichever code makes it. Commits by other connections (another process, a
 * worker thread's connection) don't fire them: when SQLite's data_version says one happened, the
 * counts are computed afresh on the next read. A schema change that drops a table drops its
 * triggers too; they are counted on each read and set up again if one is missing.
 */
export class CatalogCounters {
  private dataVersion: number | undefined;

  constructor(private readonly db: Database.Database) {}

  /** Records of a watch, and the bytes they stand for. */
  watch(watchId: number): Count {
    return this.read(`watch:${watchId}`, 'SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM main.source_records WHERE watch_id = ?', watchId);
  }

  /** Stored blobs and their bytes. */
  blobs(): Count {
    return this.read('blobs', 'SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM main.blobs');
  }

  private read(key: string, countSql: string, ...args: unknown[]): Count {
    if (!this.ready()) return this.db.prepare(countSql).get(...args) as Count;
    const kept = this.db.prepare(`SELECT n, bytes FROM ${TABLE} WHERE key = ?`).get(key) as Count | undefined;
    if (kept) return kept;
    // Counted and stored in one statement: no write can fall between the two.
    return this.db.prepare(`INSERT INTO ${TABLE} (key, n, bytes) SELECT ?, n, bytes FROM (${countSql}) RETURNING n, bytes`).get(key, ...args) as Count;
  }

  /** Sets the table and triggers up when missing, and forgets the counts when another connection committed. */
  private ready(): boolean {
    const installed = (this.db.prepare(`SELECT COUNT(*) AS n FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'shoebox\\_%' ESCAPE '\\'`).get() as { n: number }).n;
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (installed === Object.keys(TRIGGERS).length && version === this.dataVersion) return true;
    if (this.db.inTransaction) return false; // not inside someone's transaction: count directly this time
    this.db.transaction(() => {
      this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS shoebox_counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL, bytes INTEGER NOT NULL)`);
      this.db.exec(`DELETE FROM ${TABLE}`);
      for (const [name, body] of Object.entries(TRIGGERS)) this.db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ${name} ${body}`);
    })();
    this.dataVersion = version;
    return true;
  }
}
