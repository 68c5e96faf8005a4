import type { CatalogDb } from '../catalog/catalog.js';
import type { SourceRecord } from '../catalog/library-catalog.js';
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

/** Per-watch totals for `watch ls`. */
export interface WatchCounts {
  files: number;
  bytes: number;
}

/** Catalog queries for watches and the source records they own. No file system access. */
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

  /** Stops watching: the watch row goes, its source records stay (so re-adding uploads nothing twice). */
  remove(id: number): void {
    this.db.prepare('UPDATE source_records SET watch_id = NULL WHERE watch_id = ?').run(id);
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
   * Source records under a folder: those of this watch, plus records left by an earlier watch of
   * the same folder (watch_id NULL after "stop watching") so a re-added folder is recognised.
   */
  records(watch: WatchRow): SourceRecord[] {
    return this.db
      .prepare(
        `SELECT id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId
         FROM source_records WHERE watch_id = ? OR (watch_id IS NULL AND path >= ? AND path < ?)`,
      )
      .all(watch.id, `${watch.path}/`, `${watch.path}0`) as SourceRecord[];
  }

  /**
   * Like records(), but one row at a time (for the reconciler over 100k+ files); `freed` is 1
   * for a path Free up space moved away ([Note: Freed is not deleted]).
   */
  iterateRecords(watch: WatchRow): IterableIterator<Pick<SourceRecord, 'path' | 'size' | 'mtimeMs' | 'ino' | 'watchId'> & { freed: number }> {
    return this.db
      .prepare(
        `SELECT s.path, s.size, s.mtime_ms AS mtimeMs, s.ino, s.watch_id AS watchId, f.path IS NOT NULL AS freed
         FROM source_records s LEFT JOIN freed_sources f ON f.path = s.path
         WHERE s.watch_id = ? OR (s.watch_id IS NULL AND s.path >= ? AND s.path < ?)`,
      )
      .iterate(watch.id, `${watch.path}/`, `${watch.path}0`) as IterableIterator<Pick<SourceRecord, 'path' | 'size' | 'mtimeMs' | 'ino' | 'watchId'> & { freed: number }>;
  }

  /** Paths of this watch whose library bytes are known missing or damaged ([Note: Blob health marks]): read again on reconcile. */
  pathsWithBadBytes(watchId: number): Set<string> {
    const rows = this.db
      .prepare(`SELECT s.path FROM blobs b JOIN source_records s ON s.watch_id = ? AND s.hash = b.hash WHERE b.missing_at IS NOT NULL OR b.damaged_at IS NOT NULL`)
      .all(watchId) as { path: string }[];
    return new Set(rows.map((r) => r.path));
  }

  /** This watch's records at exactly this path (one per album it mapped to; normally one). */
  recordsAt(watchId: number, path: string): SourceRecord[] {
    return this.db
      .prepare(`SELECT id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId FROM source_records WHERE watch_id = ? AND path = ?`)
      .all(watchId, path) as SourceRecord[];
  }

  /** This watch's records under a folder (for a deleted folder). */
  recordsUnder(watchId: number, dir: string): SourceRecord[] {
    return this.db
      .prepare(`SELECT id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId FROM source_records WHERE watch_id = ? AND path >= ? AND path < ?`)
      .all(watchId, `${dir}/`, `${dir}0`) as SourceRecord[];
  }

  /** Records of this watch that could be the origin of a moved file (same inode and size, or same hash). */
  moveCandidates(watchId: number, by: { ino: number; size: number } | { hash: string }): SourceRecord[] {
    const cols = `id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId`;
    return 'hash' in by
      ? (this.db.prepare(`SELECT ${cols} FROM source_records WHERE watch_id = ? AND hash = ?`).all(watchId, by.hash) as SourceRecord[])
      : (this.db.prepare(`SELECT ${cols} FROM source_records WHERE watch_id = ? AND ino = ? AND size = ?`).all(watchId, by.ino, by.size) as SourceRecord[]);
  }

  /** Updates a record's stat after a touch that did not change the content. */
  touchRecord(id: number, size: number, mtimeMs: number, ino: number): void {
    this.db.prepare('UPDATE source_records SET size = ?, mtime_ms = ?, ino = ?, recorded_at = ? WHERE id = ?').run(size, mtimeMs, ino, this.now(), id);
  }

  /** Makes a record left by a manual upload or an earlier watch of this folder part of this watch. */
  adoptRecord(id: number, watchId: number): void {
    this.db.prepare('UPDATE source_records SET watch_id = ? WHERE id = ? AND watch_id IS NULL').run(watchId, id);
  }

  /** Deletes one source record. */
  deleteRecord(id: number): void {
    this.db.prepare('DELETE FROM source_records WHERE id = ?').run(id);
  }

  /** Points a record at a new path/album/file (a move inside the watch). */
  moveRecord(id: number, path: string, albumId: number, fileId: number): void {
    this.db.prepare('UPDATE source_records SET path = ?, album_id = ?, file_id = ?, recorded_at = ? WHERE id = ?').run(path, albumId, fileId, this.now(), id);
  }

  /** True if some other source record still maps this file into this album (then the membership stays). */
  otherRecordMaps(fileId: number, albumId: number, exceptRecordId: number): boolean {
    return this.db.prepare('SELECT 1 FROM source_records WHERE file_id = ? AND album_id = ? AND id != ? LIMIT 1').get(fileId, albumId, exceptRecordId) !== undefined;
  }

  /** How many source records point at this file. */
  recordCount(fileId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM source_records WHERE file_id = ?').get(fileId) as { n: number }).n;
  }

  /** Files and bytes a watch has backed up. */
  counts(watchId: number): WatchCounts {
    return this.db.prepare('SELECT COUNT(*) AS files, COALESCE(SUM(size), 0) AS bytes FROM source_records WHERE watch_id = ?').get(watchId) as WatchCounts;
  }

  /** True if the user deleted the library copy of this source (re-upload protection). */
  isIgnored(path: string, hash: string): boolean {
    return this.db.prepare('SELECT 1 FROM ignored_sources WHERE path = ? AND hash = ?').get(path, hash) !== undefined;
  }

  /** Forgets every ignored source ("Reset ignored files"); returns how many. */
  resetIgnored(): number {
    return this.db.prepare('DELETE FROM ignored_sources').run().changes;
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
