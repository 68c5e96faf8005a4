import type { CatalogDb } from './catalog.js';
import { UNCATEGORIZED } from './catalog.js';
import type { FileMeta } from '../dedup/choose-keep.js';
import { resolveMetadata, type ResolvedMetadata } from '../import/metadata-precedence.js';
import { ItemParts, type ItemPart } from './item-parts.js';
import type { DateSource } from './timeline-catalog.js';
import { MetadataCatalog } from './metadata-catalog.js';
import { SourceRecords } from './source-records.js';

/**
 * [Note: File ids are never reused] A new file's id: one past the highest the library ever gave.
 * SQLite takes one past the highest id present, so after Trash was emptied of the newest files
 * their ids went to the next ones (a walk-through's \`rm 6\` from before the purge would have hit
 * a different photo). The purge records the highest id it removed (meta files_id_floor).
 */
export const NEXT_FILE_ID = `(SELECT MAX(COALESCE((SELECT MAX(id) FROM files), 0), COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'files_id_floor'), 0)) + 1)`;

/** An album as listed to a person. */
export interface AlbumSummary {
  id: number;
  name: string;
  kind: 'user' | 'uncategorized';
  fileCount: number;
  bytes: number;
}

/** What the library knows about one file. */
export interface FileFacts extends FileMeta {
  trashed: boolean;
}

/** One membership row as `ls` prints it. */
export interface MembershipRow {
  album: string;
  albumId: number;
  fileId: number;
  name: string;
  size: number;
  hash: string;
  hashAlgorithm: string;
  mediaType: string;
  modifiedAt: number | null;
  addedAt: number;
  /** Capture date (wall clock read as UTC) and where it came from; null until the back-fill dated it. */
  takenAt: number | null;
  dateSource: DateSource | null;
  /** What sidecars say, after precedence (only for files that have sidecar metadata). */
  metadata?: ResolvedMetadata;
  /** The item's parts beyond its main file (only for items that have some). */
  parts?: ItemPart[];
}

/** A new library file about to be inserted. */
export interface NewFile {
  name: string;
  hash: string;
  size: number;
  mediaType: string;
  modifiedAt: number | null;
  previousVersionId?: number | null;
}

export type { SourceRecord } from './source-records.js';

/** The video half of a live photo. */
export interface LivePart {
  hash: string;
  name: string;
  size: number;
  mediaType: string;
}

/**
 * The catalog's queries for files, blobs, albums and memberships (source records: `sources`).
 * Every mutating method expects to run inside CatalogDb.write(), so one logical step is one
 * transaction; none of them touches the file system.
 */
export class LibraryCatalog {
  readonly uncategorizedId: number;
  /** Source records: what each backed-up path became (their one writer). */
  readonly sources: SourceRecords;
  /** Items' parts beyond their main file: live video, RAW, XMP ([Note: Item parts]). */
  readonly parts: ItemParts;
  /** What sidecars say about files ([Note: Sidecar metadata]). */
  readonly metadata: MetadataCatalog;
  private readonly algorithm: string;

  constructor(readonly cdb: CatalogDb, private readonly now: () => number = Date.now) {
    this.sources = new SourceRecords(cdb, now);
    this.parts = new ItemParts(cdb);
    this.metadata = new MetadataCatalog(cdb, now);
    const row = this.db.prepare(`SELECT id FROM albums WHERE kind = 'uncategorized'`).get() as { id: number };
    this.uncategorizedId = row.id;
    this.algorithm = cdb.meta('hash_algorithm') ?? 'sha256';
  }

  private get db() {
    return this.cdb.db;
  }

  /** The hash algorithm every blob in this library uses. */
  get hashAlgorithm(): string {
    return this.algorithm;
  }

  /** The id of the user album with this exact name, if any. */
  albumIdByName(name: string): number | undefined {
    if (name === UNCATEGORIZED) return this.uncategorizedId;
    const row = this.db.prepare(`SELECT id FROM albums WHERE kind = 'user' AND name = ?`).get(name) as { id: number } | undefined;
    return row?.id;
  }

  /**
   * The album a watched folder's files named `name` go to: the album of that name, else the one
   * the person renamed from it ([Note: A renamed album keeps its folder]).
   */
  albumIdForWatched(name: string): number | undefined {
    return this.albumIdByName(name) ?? (this.db.prepare(`SELECT id FROM albums WHERE kind = 'user' AND source_name = ? ORDER BY id LIMIT 1`).get(name) as { id: number } | undefined)?.id;
  }

  /** Finds the album by name (for a watched folder's files, also by the name it had before a rename) or creates it (DESIGN §2: albums are found by name). */
  ensureAlbum(name: string, watched = false): number {
    const existing = watched ? this.albumIdForWatched(name) : this.albumIdByName(name);
    if (existing !== undefined) return existing;
    return Number(this.db.prepare(`INSERT INTO albums (name, kind, created_at) VALUES (?, 'user', ?)`).run(name, this.now()).lastInsertRowid);
  }

  /** True if the catalog has a row for this blob. */
  hasBlob(hash: string): boolean {
    return this.db.prepare('SELECT 1 FROM blobs WHERE hash = ?').get(hash) !== undefined;
  }

  /** True if any stored blob has exactly this size (so a new file might be a duplicate). */
  hasBlobOfSize(size: number): boolean {
    return this.db.prepare('SELECT 1 FROM blobs WHERE size = ? LIMIT 1').get(size) !== undefined;
  }

  /** The media type recorded for any file with this blob (for a source known by its stat). */
  mediaTypeOfBlob(hash: string): string | undefined {
    const row = this.db.prepare('SELECT media_type AS t FROM files WHERE blob_hash = ? UNION ALL SELECT media_type FROM live_parts WHERE blob_hash = ? LIMIT 1').get(hash, hash) as { t: string } | undefined;
    return row?.t;
  }

  /** Records a blob (no-op if present). */
  insertBlob(hash: string, size: number): void {
    this.db.prepare('INSERT OR IGNORE INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, ?, ?, ?)').run(hash, this.algorithm, size, this.now());
  }

  /** A live file named `name` with this hash that is in album `albumId`. */
  fileInAlbum(albumId: number, name: string, hash: string): number | undefined {
    const row = this.db
      .prepare(
        `SELECT f.id FROM files f JOIN memberships m ON m.file_id = f.id
         WHERE m.album_id = ? AND f.blob_hash = ? AND f.name = ? AND f.trashed_at IS NULL LIMIT 1`,
      )
      .get(albumId, hash, name) as { id: number } | undefined;
    return row?.id;
  }

  /** A live file named `name` with this hash in any album (the oldest, for stability). */
  liveFileByNameHash(name: string, hash: string): number | undefined {
    const row = this.db
      .prepare(`SELECT id FROM files WHERE blob_hash = ? AND name = ? AND trashed_at IS NULL ORDER BY id LIMIT 1`)
      .get(hash, name) as { id: number } | undefined;
    return row?.id;
  }

  /** Inserts a library file (its blob row must exist). */
  insertFile(f: NewFile): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO files (id, name, blob_hash, size, media_type, modified_at, created_at, previous_version_id)
           VALUES (${NEXT_FILE_ID}, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(f.name, f.hash, f.size, f.mediaType, f.modifiedAt, this.now(), f.previousVersionId ?? null).lastInsertRowid,
    );
  }

  /** Adds file to album; a file that gains a real album leaves Uncategorized. */
  addMembership(albumId: number, fileId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO memberships (album_id, file_id, added_at) VALUES (?, ?, ?)').run(albumId, fileId, this.now());
    this.settleUncategorized(fileId);
  }

  /** Removes file from album; a file left in no album goes to Uncategorized. */
  removeMembership(albumId: number, fileId: number): void {
    this.db.prepare('DELETE FROM memberships WHERE album_id = ? AND file_id = ?').run(albumId, fileId);
    this.settleUncategorized(fileId);
  }

  /** Puts a live file in Uncategorized exactly when it is in no user album. */
  settleUncategorized(fileId: number): void {
    const live = this.db.prepare('SELECT 1 FROM files WHERE id = ? AND trashed_at IS NULL').get(fileId) !== undefined;
    const userAlbums = (this.db.prepare('SELECT COUNT(*) AS n FROM memberships WHERE file_id = ? AND album_id != ?').get(fileId, this.uncategorizedId) as { n: number }).n;
    if (live && userAlbums === 0) {
      this.db.prepare('INSERT OR IGNORE INTO memberships (album_id, file_id, added_at) VALUES (?, ?, ?)').run(this.uncategorizedId, fileId, this.now());
    } else {
      this.db.prepare('DELETE FROM memberships WHERE album_id = ? AND file_id = ?').run(this.uncategorizedId, fileId);
    }
  }

  /** Renames a library file (a rename on disk followed by the watch). */
  renameFile(fileId: number, name: string): void {
    this.db.prepare('UPDATE files SET name = ? WHERE id = ?').run(name, fileId);
  }

  /** A new library file for the same bytes under another name (no bytes move). */
  cloneFile(fileId: number, name: string): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO files (id, name, blob_hash, size, media_type, taken_at, modified_at, created_at)
           SELECT ${NEXT_FILE_ID}, ?, blob_hash, size, media_type, taken_at, modified_at, ? FROM files WHERE id = ?`,
        )
        .run(name, this.now(), fileId).lastInsertRowid,
    );
  }

  /** Keeps the path an earlier version was backed up from, as a newer one takes its record ([Note: Where an earlier version came from]). */
  setVersionPath(fileId: number, sourcePath: string): void {
    this.db.prepare('UPDATE files SET source_path = ? WHERE id = ?').run(sourcePath, fileId);
  }

  /** The photo moved on disk: its earlier versions' place moves with it. */
  moveVersionPath(from: string, to: string): void {
    this.db.prepare('UPDATE files SET source_path = ? WHERE source_path = ?').run(to, from);
  }

  /** The photo left this path (deleted on disk): no version is to be restored there. */
  forgetVersionPath(sourcePath: string): void {
    this.db.prepare('UPDATE files SET source_path = NULL WHERE source_path = ?').run(sourcePath);
  }

  /** Records that `fileId` is a newer version of `previousId`. */
  setPreviousVersion(fileId: number, previousId: number): void {
    this.db.prepare('UPDATE files SET previous_version_id = ? WHERE id = ? AND id != ?').run(previousId, fileId, previousId);
  }

  /** The file's name. */
  fileName(fileId: number): string | undefined {
    return (this.db.prepare('SELECT name FROM files WHERE id = ?').get(fileId) as { name: string } | undefined)?.name;
  }

  /** What the catalog knows about one file (dimensions and capture date once found) and its content hash. */
  fileFacts(fileId: number): (FileFacts & { hash: string }) | undefined {
    const row = this.db
      .prepare('SELECT id AS fileId, name, size, media_type AS mediaType, width, height, taken_at AS takenAt, modified_at AS modifiedAt, trashed_at IS NOT NULL AS trashed, blob_hash AS hash FROM files WHERE id = ?')
      .get(fileId) as (Omit<FileFacts, 'trashed'> & { trashed: number; hash: string }) | undefined;
    return row && { ...row, trashed: row.trashed === 1 };
  }

  /** True if the file exists and is not in Trash. */
  isLive(fileId: number): boolean {
    return this.db.prepare('SELECT 1 FROM files WHERE id = ? AND trashed_at IS NULL').get(fileId) !== undefined;
  }

  /** The live-photo video of a file, if it has one. */
  livePart(fileId: number): LivePart | undefined {
    return this.db.prepare(`SELECT blob_hash AS hash, name, size, media_type AS mediaType FROM live_parts WHERE file_id = ? AND role = 'live'`).get(fileId) as LivePart | undefined;
  }

  /** Attaches a live-photo video to a file (its blob row must exist). */
  setLivePart(fileId: number, part: LivePart): void {
    this.db.prepare(`INSERT INTO live_parts (file_id, blob_hash, name, size, media_type, role) VALUES (?, ?, ?, ?, ?, 'live')`).run(fileId, part.hash, part.name, part.size, part.mediaType);
  }

  /** Every album with its file count and the bytes of its files. */
  listAlbums(): AlbumSummary[] {
    return this.db
      .prepare(
        `SELECT a.id, a.name, a.kind, COUNT(f.id) AS fileCount, COALESCE(SUM(f.size), 0) AS bytes
         FROM albums a LEFT JOIN memberships m ON m.album_id = a.id LEFT JOIN files f ON f.id = m.file_id AND f.trashed_at IS NULL
         GROUP BY a.id ORDER BY a.kind = 'uncategorized', a.name`,
      )
      .all() as AlbumSummary[];
  }

  /** Memberships of live files, optionally of one album, in album then name order, with their dates, sidecar metadata and parts. */
  listMemberships(albumId?: number): MembershipRow[] {
    const where = albumId === undefined ? '' : 'AND a.id = @albumId';
    const rows = this.db
      .prepare(
        `SELECT a.name AS album, a.id AS albumId, f.id AS fileId, f.name, f.size, f.blob_hash AS hash, b.hash_algorithm AS hashAlgorithm,
                f.media_type AS mediaType, f.modified_at AS modifiedAt, m.added_at AS addedAt, f.taken_at AS takenAt, f.date_source AS dateSource
         FROM memberships m JOIN albums a ON a.id = m.album_id JOIN files f ON f.id = m.file_id JOIN blobs b ON b.hash = f.blob_hash
         WHERE f.trashed_at IS NULL ${where} ORDER BY a.name, f.name, f.id`,
      )
      .all(albumId === undefined ? {} : { albumId }) as MembershipRow[];
    const metadata = this.metadata.all();
    const parts = this.parts.ofFiles();
    for (const r of rows) {
      if (r.dateSource === null) r.takenAt = null; // a stand-in from an earlier reading, not a capture date yet
      const m = metadata.get(r.fileId);
      if (m) r.metadata = resolveMetadata(m, r);
      const p = parts.get(r.fileId);
      if (p) r.parts = p;
    }
    return rows;
  }

  /** One page of an album's live files, newest first (capture date, else modification time). */
  albumPage(albumId: number, offset: number, limit: number): { total: number; items: Array<{ fileId: number; name: string; size: number; mediaType: string; width: number | null; height: number | null; takenAt: number | null }> } {
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM memberships m JOIN files f ON f.id = m.file_id WHERE m.album_id = ? AND f.trashed_at IS NULL').get(albumId) as { n: number }).n;
    const items = this.db
      .prepare(
        `SELECT f.id AS fileId, f.name, f.size, f.media_type AS mediaType, f.width, f.height, f.taken_at AS takenAt
         FROM memberships m JOIN files f ON f.id = m.file_id WHERE m.album_id = ? AND f.trashed_at IS NULL
         ORDER BY COALESCE(f.taken_at, f.modified_at, f.created_at) DESC, f.id DESC LIMIT ? OFFSET ?`,
      )
      .all(albumId, limit, offset) as ReturnType<LibraryCatalog['albumPage']>['items'];
    return { total, items };
  }

  /**
   * Counts for `status`, read again only after the catalog changed: the window asks for them
   * every half second, and counting 100k files each time kept serve's one thread 10% busy
   * (well over that on a loaded machine), delaying every answer. While a backup commits, the
   * stamp changes with every batch: then the counts themselves are cheap (below).
   */
  totals(): { files: number; albums: number; blobs: number; blobBytes: number; trashed: number } {
    const stamp = this.cdb.changeStamp();
    if (this.totalsCache?.stamp !== stamp) this.totalsCache = { stamp, value: this.countTotals() };
    return this.totalsCache.value;
  }

  private totalsCache: { stamp: string; value: ReturnType<LibraryCatalog['countTotals']> } | undefined;

  private countTotals(): { files: number; albums: number; blobs: number; blobBytes: number; trashed: number } {
    const q = (sql: string) => (this.db.prepare(sql).get() as { n: number }).n;
    // Counts SQLite answers from an index or a b-tree's own count; blob bytes from running
    // counts ([Note: Counts kept by temp triggers]): status is asked often.
    const trashed = q('SELECT COUNT(*) AS n FROM files WHERE trashed_at IS NOT NULL');
    const blobs = this.cdb.counters.blobs();
    return {
      files: q('SELECT COUNT(*) AS n FROM files') - trashed,
      albums: q(`SELECT COUNT(*) AS n FROM albums WHERE kind = 'user'`),
      blobs: blobs.n,
      blobBytes: blobs.bytes,
      trashed,
    };
  }
}
