import type { CatalogDb } from '../catalog/catalog.js';
import type { AlbumMode } from '../upload/album-mapping.js';

/** A watched folder as stored in the catalog. */
export interface WatchRow {
  id: number;
  path: string;
  mode: AlbumMode;
  poll: boolean;
  paused: boolean;
  rootDev: number | null;
  addedAt: number;
}

/** Catalog queries for watches (their source records: SourceRecords) and ignored sources. No file system access. */
export class WatchStore {
  constructor(private readonly cdb: CatalogDb, private readonly now: () => number = Date.now) {}

  private get db() {
    return this.cdb.db;
  }

  /** Every watch, oldest first. */
  list(): WatchRow[] {
    return (this.db.prepare('SELECT * FROM watches ORDER BY id').all() as RawWatch[]).map(toRow);
  }

  /** The watch of exactly this folder. */
  byPath(path: string): WatchRow | undefined {
    const r = this.db.prepare('SELECT * FROM watches WHERE path = ?').get(path) as RawWatch | undefined;
    return r && toRow(r);
  }

  /** Stores a new watch. */
  insert(path: string, mode: AlbumMode, poll: boolean, rootDev: number | null): WatchRow {
    const id = Number(this.db.prepare('INSERT INTO watches (path, mode, poll, root_dev, added_at) VALUES (?, ?, ?, ?, ?)').run(path, mode, poll ? 1 : 0, rootDev, this.now()).lastInsertRowid);
    return this.byId(id)!;
  }

  /** The watch with this id. */
  byId(id: number): WatchRow | undefined {
    const r = this.db.prepare('SELECT * FROM watches WHERE id = ?').get(id) as RawWatch | undefined;
    return r && toRow(r);
  }

  /** Stops watching: the watch row goes (its source records are released by their owner, SourceRecords.release). */
  remove(id: number): void {
    this.db.prepare('DELETE FROM watches WHERE id = ?').run(id);
  }

  /** Pauses or resumes one watch (its changes are queued meanwhile). */
  setPaused(id: number, paused: boolean): void {
    this.db.prepare('UPDATE watches SET paused = ? WHERE id = ?').run(paused ? 1 : 0, id);
  }

  /** Remembers the device of a watch's folder (first time it is seen mounted). */
  setRootDev(id: number, dev: number): void {
    this.db.prepare('UPDATE watches SET root_dev = ? WHERE id = ?').run(dev, id);
  }

  /**
   * [Note: Reset ignored files]
   * Forgets every ignored source ("Reset ignored files"); returns how many. The time of the reset
   * is kept in meta (`ignored_reset_at`): a running watch service, in this process or another,
   * sees it change and catches every watch up, so the sources are backed up now, not at the
   * next start.
   */
  resetIgnored(): number {
    this.db.prepare(`INSERT INTO meta (key, value) VALUES ('ignored_reset_at', ?) ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)`).run('1');
    return this.db.prepare('DELETE FROM ignored_sources').run().changes;
  }

  /** Changes at every "Reset ignored files" ([Note: Reset ignored files]). */
  ignoredResets(): string | undefined {
    return this.db.prepare(`SELECT value FROM meta WHERE key = 'ignored_reset_at'`).pluck().get() as string | undefined;
  }
}

interface RawWatch {
  id: number;
  path: string;
  mode: AlbumMode;
  poll: number;
  paused: number;
  root_dev: number | null;
  added_at: number;
}

function toRow(r: RawWatch): WatchRow {
  return { id: r.id, path: r.path, mode: r.mode, poll: r.poll === 1, paused: r.paused === 1, rootDev: r.root_dev, addedAt: r.added_at };
}
