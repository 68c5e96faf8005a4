import type { CatalogDb } from './catalog.js';

/** What the catalog remembers about a source path. */
export interface SourceRecord {
  id: number;
  path: string;
  albumId: number;
  fileId: number;
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
  watchId: number | null;
}

/** The stat-and-watch part of a record, for comparing a folder with the catalog. */
export type RecordStat = Pick<SourceRecord, 'path' | 'size' | 'mtimeMs' | 'ino' | 'watchId'>;

const COLS = `id, path, album_id AS albumId, file_id AS fileId, size, mtime_ms AS mtimeMs, ino, hash, watch_id AS watchId`;

/**
 * The one writer of `source_records` for uploads and watches (issue #18: the upload pipeline
 * and the watch code each wrote it before, one inside the other's transaction), and the
 * queries over it. Mutations expect to run inside CatalogDb.write(); no file system access.
 */
export class SourceRecords {
  constructor(private readonly cdb: CatalogDb, private readonly now: () => number = Date.now) {}

  private get db() {
    return this.cdb.db;
  }

  /** The source record for this path going to this album. */
  get(path: string, albumId: number): SourceRecord | undefined {
    return this.db.prepare(`SELECT ${COLS} FROM source_records WHERE path = ? AND album_id = ?`).get(path, albumId) as SourceRecord | undefined;
  }

  /** The record with this id (gone: undefined). */
  byId(id: number): SourceRecord | undefined {
    return this.db.prepare(`SELECT ${COLS} FROM source_records WHERE id = ?`).get(id) as SourceRecord | undefined;
  }

  /**
   * True if the user deleted a library copy of a watched source with this content (re-upload
   * protection, DESIGN §2). By content, not path: renamed or moved within the watched folders,
   * it is still the photo they deleted (a walk-through saw deleted photos come back on a rename).
   */
  isIgnored(hash: string): boolean {
    return this.db.prepare('SELECT 1 FROM ignored_sources WHERE hash = ? LIMIT 1').get(hash) !== undefined;
  }

  /**
   * The hash recorded for this path when its size, mtime and inode are unchanged, from any
   * album: an unchanged file is not read again (DESIGN §2, "cheap").
   */
  knownHash(path: string, size: number, mtimeMs: number, ino: number): string | undefined {
    const row = this.db
      .prepare(`SELECT s.hash FROM source_records s JOIN blobs b ON b.hash = s.hash WHERE s.path = ? AND s.size = ? AND s.mtime_ms = ? AND s.ino = ? LIMIT 1`)
      .get(path, size, mtimeMs, ino) as { hash: string } | undefined;
    return row?.hash;
  }

  /** Records that `path` was backed up as `fileId` into `albumId` (a watch's record keeps its watch). */
  upsert(r: Omit<SourceRecord, 'id'>): void {
    this.db
      .prepare(
        `INSERT INTO source_records (path, album_id, file_id, size, mtime_ms, ino, hash, recorded_at, watch_id)
         VALUES (@path, @albumId, @fileId, @size, @mtimeMs, @ino, @hash, @at, @watchId)
         ON CONFLICT (path, album_id) DO UPDATE SET file_id = excluded.file_id, size = excluded.size,
           mtime_ms = excluded.mtime_ms, ino = excluded.ino, hash = excluded.hash, recorded_at = excluded.recorded_at,
           watch_id = COALESCE(excluded.watch_id, source_records.watch_id)`,
      )
      .run({ ...r, at: this.now() });
  }

  /**
   * Source records under a watched folder, one row at a time (the reconciler goes over 100k+):
   * those of this watch, plus records left by an earlier watch of the same folder (watch_id NULL
   * after "stop watching") so a re-added folder is recognised. `freed` is 1 for a path Free up
   * space moved away ([Note: Freed is not deleted]).
   */
  iterateUnder(watchId: number, folder: string): IterableIterator<RecordStat & { freed: number }> {
    return this.db
      .prepare(
        `SELECT s.path, s.size, s.mtime_ms AS mtimeMs, s.ino, s.watch_id AS watchId, f.path IS NOT NULL AS freed
         FROM source_records s LEFT JOIN freed_sources f ON f.path = s.path
         WHERE s.watch_id = ? OR (s.watch_id IS NULL AND s.path >= ? AND s.path < ?)`,
      )
      .iterate(watchId, `${folder}/`, `${folder}0`) as IterableIterator<RecordStat & { freed: number }>;
  }

  /** Paths of this watch whose library bytes are known missing or damaged ([Note: Blob health marks]): read again on reconcile. */
  pathsWithBadBytes(watchId: number): Set<string> {
    const rows = this.db
      .prepare(`SELECT s.path FROM blobs b JOIN source_records s ON s.watch_id = ? AND s.hash = b.hash WHERE b.missing_at IS NOT NULL OR b.damaged_at IS NOT NULL`)
      .all(watchId) as { path: string }[];
    return new Set(rows.map((r) => r.path));
  }

  /** This watch's records at exactly this path (one per album it mapped to; normally one). */
  at(watchId: number, path: string): SourceRecord[] {
    return this.db.prepare(`SELECT ${COLS} FROM source_records WHERE watch_id = ? AND path = ?`).all(watchId, path) as SourceRecord[];
  }

  /** This watch's records under a folder (for a deleted folder). */
  under(watchId: number, dir: string): SourceRecord[] {
    return this.db.prepare(`SELECT ${COLS} FROM source_records WHERE watch_id = ? AND path >= ? AND path < ?`).all(watchId, `${dir}/`, `${dir}0`) as SourceRecord[];
  }

  /** Records of this watch that could be the origin of a moved file (same inode and size, or same hash). */
  moveCandidates(watchId: number, by: { ino: number; size: number } | { hash: string }): SourceRecord[] {
    return 'hash' in by
      ? (this.db.prepare(`SELECT ${COLS} FROM source_records WHERE watch_id = ? AND hash = ?`).all(watchId, by.hash) as SourceRecord[])
      : (this.db.prepare(`SELECT ${COLS} FROM source_records WHERE watch_id = ? AND ino = ? AND size = ?`).all(watchId, by.ino, by.size) as SourceRecord[]);
  }

  /** Updates a record's stat after a touch that did not change the content. */
  touch(id: number, size: number, mtimeMs: number, ino: number): void {
    this.db.prepare('UPDATE source_records SET size = ?, mtime_ms = ?, ino = ?, recorded_at = ? WHERE id = ?').run(size, mtimeMs, ino, this.now(), id);
  }

  /** Makes a record left by a manual upload or an earlier watch of this folder part of this watch. */
  adopt(id: number, watchId: number): void {
    this.db.prepare('UPDATE source_records SET watch_id = ? WHERE id = ? AND watch_id IS NULL').run(watchId, id);
  }

  /** Forgets the records of uploaded (not watched) files under this folder: a browser upload's staged copies, gone once committed. */
  forgetUploadedUnder(dir: string): void {
    this.db.prepare(`DELETE FROM source_records WHERE watch_id IS NULL AND path > ? AND path < ?`).run(`${dir}/`, `${dir}0`); // '0' follows '/'
  }

  /** Deletes one source record. */
  delete(id: number): void {
    this.db.prepare('DELETE FROM source_records WHERE id = ?').run(id);
  }

  /** This file's records in this album. */
  ofFileInAlbum(fileId: number, albumId: number): SourceRecord[] {
    return this.db.prepare(`SELECT ${COLS} FROM source_records WHERE file_id = ? AND album_id = ?`).all(fileId, albumId) as SourceRecord[];
  }

  /** Points a record at another library file, path and album unchanged ([Note: Items apart]). */
  repoint(id: number, fileId: number): void {
    this.db.prepare('UPDATE source_records SET file_id = ? WHERE id = ?').run(fileId, id);
  }

  /** True if some record of this file is of these bytes (its own, or one of its parts'). */
  namesBytes(fileId: number, hash: string): boolean {
    return this.db.prepare('SELECT 1 FROM source_records WHERE file_id = ? AND hash = ? LIMIT 1').get(fileId, hash) !== undefined;
  }

  /** Points a record at a new path/album/file (a move inside the watch). */
  move(id: number, path: string, albumId: number, fileId: number): void {
    this.db.prepare('UPDATE source_records SET path = ?, album_id = ?, file_id = ?, recorded_at = ? WHERE id = ?').run(path, albumId, fileId, this.now(), id);
  }

  /** Stops watching: the watch's records stay (so re-adding the folder uploads nothing twice) but no longer name it. */
  release(watchId: number): void {
    this.db.prepare('UPDATE source_records SET watch_id = NULL WHERE watch_id = ?').run(watchId);
  }

  /** True if some other source record still maps this file into this album (then the membership stays). */
  otherMaps(fileId: number, albumId: number, exceptRecordId: number): boolean {
    return this.db.prepare('SELECT 1 FROM source_records WHERE file_id = ? AND album_id = ? AND id != ? LIMIT 1').get(fileId, albumId, exceptRecordId) !== undefined;
  }

  /** How many source records are of this file's own bytes (the records of its parts, a RAW, an XMP, a live video, are not). */
  countFor(fileId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM source_records s JOIN files f ON f.id = s.file_id WHERE s.file_id = ? AND s.hash = f.blob_hash').get(fileId) as { n: number }).n;
  }

  /** True if the record is of its file's own bytes, not of one of the file's parts ([Note: Item parts]). */
  isOfMainFile(r: Pick<SourceRecord, 'fileId' | 'hash'>): boolean {
    return this.db.prepare('SELECT 1 FROM files WHERE id = ? AND blob_hash = ?').get(r.fileId, r.hash) !== undefined;
  }

  /**
   * A new version of a file takes over the records of its parts in this album (they name the
   * item, not the old bytes), so the old version leaves the album with its last source.
   */
  carryPartRecords(from: number, to: number, albumId: number): void {
    this.db.prepare('UPDATE source_records SET file_id = ? WHERE file_id = ? AND album_id = ? AND hash != (SELECT blob_hash FROM files WHERE id = ?)').run(to, from, albumId, from);
  }

  /** Files and bytes a watch has backed up. */
  totals(watchId: number): { files: number; bytes: number } {
    const { n, bytes } = this.cdb.counters.watch(watchId);
    return { files: n, bytes };
  }
}
