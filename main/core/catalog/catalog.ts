import type Database from 'better-sqlite3';
import { ShoeboxError, libraryWriteError } from '../errors.js';
import { CURRENT_SCHEMA_VERSION, migrations } from './migrations.js';
import { injectFault } from '../faults.js';
import { CatalogCounters } from './catalog-counters.js';
import { openDatabase } from './sqlite-binding.js';
import { catalogDamagedError, isCatalogDamage } from './catalog-damage.js';
import { pruneSnapshots, writeSnapshot } from './catalog-snapshots.js';

/** The name of the system album that holds every file that is in no other album. */
export const UNCATEGORIZED = 'Uncategorized';

/** A handle on the SQLite catalog: connection set-up, migrations and transactions. */
export class CatalogDb {
  readonly db: Database.Database;

  /** Exact running counts for status ([Note: Counts kept by temp triggers]). */
  readonly counters: CatalogCounters;

  private constructor(db: Database.Database, readonly file: string) {
    this.db = db;
    this.counters = new CatalogCounters(db);
  }

  /**
   * Opens (creating if needed) the catalog: WAL, foreign keys, a busy timeout so two processes
   * on one library wait for each other instead of failing, then pending migrations (after a
   * verified snapshot into `snapshotDir`, when given and the catalog already has data).
   */
  static open(file: string, opts: { readonly?: boolean; now?: () => number; snapshotDir?: string } = {}): CatalogDb {
    let db: Database.Database;
    try {
      db = openDatabase(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false, timeout: 15_000 });
    } catch (err) {
      throw openError(err, file);
    }
    try {
      if (!opts.readonly) db.pragma('journal_mode = WAL');
      // NORMAL in WAL: a power cut can lose the last commits but never corrupts; blobs are
      // fsynced before their rows commit, so a lost commit only leaves a collectable stray blob.
      db.pragma('synchronous = NORMAL');
      // Statement journals and sorts in memory: on disk they were temp files under $TMPDIR,
      // written page by page (a third of the catalog's writes during a backup, issue #18).
      db.pragma('temp_store = MEMORY');
      db.pragma('foreign_keys = ON');
      reusePreparedStatements(db);
      const catalog = new CatalogDb(db, file);
      if (!opts.readonly) catalog.migrate(opts.now ?? Date.now, opts.snapshotDir);
      else catalog.checkVersion();
      return catalog;
    } catch (err) {
      db.close();
      throw openError(err, file);
    }
  }

  /** The schema version stored in the file. */
  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private checkVersion(): void {
    const version = this.schemaVersion;
    if (version > CURRENT_SCHEMA_VERSION) {
      throw new ShoeboxError(
        'LIBRARY_TOO_NEW',
        `The library catalog ${this.file} was written by a newer version of Shoebox (schema ${version}; this one knows up to ${CURRENT_SCHEMA_VERSION}). ` +
          'Update Shoebox to open it; the library has not been changed.',
      );
    }
  }

  private migrate(now: () => number, snapshotDir: string | undefined): void {
    this.checkVersion();
    if (snapshotDir && this.schemaVersion > 0 && this.schemaVersion < CURRENT_SCHEMA_VERSION) {
      // See [Note: Catalog snapshots]: never migrate without a verified copy to go back to.
      writeSnapshot(this.db, snapshotDir, 'migration', now());
      pruneSnapshots(snapshotDir);
    }
    // Each step reads the version again under the write lock: two processes opening a new (or
    // older) library at once both saw the version before either took the lock, and the second
    // ran the first's step again ("table meta already exists").
    while (this.schemaVersion < CURRENT_SCHEMA_VERSION) {
      injectFault('catalog-migrate');
      this.db.transaction(() => {
        const v = this.schemaVersion;
        if (v >= CURRENT_SCHEMA_VERSION) return;
        this.db.exec(migrations[v]!);
        if (v === 0) this.seed(now());
        this.db.pragma(`user_version = ${v + 1}`);
      }).immediate();
    }
  }

  private seed(at: number): void {
    this.db.prepare(`INSERT INTO albums (name, kind, created_at) VALUES (?, 'uncategorized', ?)`).run(UNCATEGORIZED, at);
    this.db.prepare(`INSERT INTO meta (key, value) VALUES ('hash_algorithm', 'sha256'), ('created_at', ?)`).run(String(at));
  }

  /** Runs fn in one write transaction (BEGIN IMMEDIATE, so writers queue instead of deadlocking). */
  write<T>(fn: () => T): T {
    injectFault('catalog-write');
    try {
      return this.db.transaction(fn).immediate();
    } finally {
      this.writes++;
    }
  }

  /**
   * Runs fn in one read transaction: its queries see one snapshot and share one lock. Each
   * statement outside a transaction takes and drops SQLite's WAL read lock (two fcntl calls):
   * twelve per file backed up, a sixth of the main thread's system calls (issue #18).
   */
  read<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn).deferred();
  }

  private writes = 0;

  /**
   * Changes whenever the catalog may have changed: a write by this process (counted here, and
   * SQLite's total_changes() for a statement run outside write()) or a commit by another
   * (SQLite's data_version). Lets read-mostly answers be cached safely.
   */
  changeStamp(): string {
    const changes = this.db.prepare('SELECT total_changes() AS n').pluck().get() as number;
    return `${this.db.pragma('data_version', { simple: true }) as number}:${this.writes}:${changes}`;
  }

  /** Reads a meta value. */
  meta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  /** `PRAGMA integrity_check` result lines ('ok' when healthy). */
  integrityCheck(): string[] {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function openError(err: unknown, file: string): ShoeboxError {
  if (err instanceof ShoeboxError && err.code !== 'LIBRARY_CORRUPT') return err;
  if (isCatalogDamage(err)) return catalogDamagedError(file, err);
  return libraryWriteError(err, file);
}

/**
 * Makes `db.prepare(sql)` return one compiled statement per SQL text instead of compiling it on
 * every call (compiling was the largest cost on the main thread during a backup burst). A
 * statement that is mid-`iterate()` is busy, so a nested caller gets a fresh one. Engine code
 * never switches a shared statement into raw/pluck/expand mode, which would leak to other
 * callers. Dynamically built SQL stops being cached after MAX_CACHED texts.
 */
function reusePreparedStatements(db: Database.Database): void {
  const MAX_CACHED = 500;
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const hit = cache.get(sql);
    if (hit && !hit.busy) return hit;
    const stmt = prepare(sql);
    if (!hit && cache.size < MAX_CACHED) cache.set(sql, stmt);
    return stmt;
  }) as typeof db.prepare;
}
