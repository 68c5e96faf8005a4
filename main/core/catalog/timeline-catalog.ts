import { resolveMetadata, type ResolvedMetadata } from '../import/metadata-precedence.js';
import type { CatalogDb } from './catalog.js';
import { ItemParts, type ItemPart } from './item-parts.js';
import { MetadataCatalog } from './metadata-catalog.js';

/** Where a capture date came from. */
export type DateSource = 'exif' | 'quicktime' | 'filename' | 'mtime' | 'added' | 'takeout' | 'xmp';

/** A file on the timeline. */
export interface TimelineRow {
  fileId: number;
  name: string;
  size: number;
  mediaType: string;
  width: number | null;
  height: number | null;
  takenAt: number | null;
  at: number;
  dateSource: DateSource;
}

/** A file whose capture date is still to be found. */
export interface UndatedFile {
  fileId: number;
  name: string;
  hash: string;
  mediaType: string;
  modifiedAt: number | null;
  createdAt: number;
}

/** The date found for a file. */
export interface FoundDate {
  fileId: number;
  hash: string;
  takenAt: number;
  source: DateSource;
  camera: string | null;
  width: number | null;
  height: number | null;
  /** Set when a sidecar's date won: what the file's own metadata said (null: no date in it). */
  overridden?: number | null;
}

// [Note: Timeline order] (migration 6): this expression and the files_timeline index go together.
const AT = 'COALESCE(f.taken_at, f.modified_at, f.created_at)';
const SOURCE = `COALESCE(f.date_source, CASE WHEN f.taken_at IS NOT NULL THEN 'exif' WHEN f.modified_at IS NOT NULL THEN 'mtime' ELSE 'added' END)`;

/** The catalog's queries for capture dates and the All photos timeline. */
export class TimelineCatalog {
  constructor(private readonly cdb: CatalogDb) {}

  private get db() {
    return this.cdb.db;
  }

  /** Live files per day (by capture date, wall clock), newest day first. */
  days(): Array<{ day: string; count: number }> {
    // Whole days since the epoch in integer arithmetic (strftime per row was 5× slower on 100k files),
    // the ISO day is made once per day here.
    const rows = this.db
      .prepare(`SELECT ${AT} / 86400000 - (${AT} < 0 AND ${AT} % 86400000 != 0) AS d, COUNT(*) AS count FROM files f WHERE f.trashed_at IS NULL GROUP BY d ORDER BY d DESC`)
      .all() as Array<{ d: number; count: number }>;
    return rows.map((r) => ({ day: new Date(r.d * 86_400_000).toISOString().slice(0, 10), count: r.count }));
  }

  /** One page of the timeline, newest first (the order of `days`). */
  page(offset: number, limit: number): TimelineRow[] {
    return this.db
      .prepare(
        `SELECT f.id AS fileId, f.name, f.size, f.media_type AS mediaType, f.width, f.height, f.taken_at AS takenAt, ${AT} AS at, ${SOURCE} AS dateSource
         FROM files f INDEXED BY files_timeline WHERE f.trashed_at IS NULL ORDER BY ${AT} DESC, f.id DESC LIMIT ? OFFSET ?`,
      )
      .all(limit, offset) as TimelineRow[];
  }

  /** How many live files there are. */
  liveCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM files WHERE trashed_at IS NULL').get() as { n: number }).n;
  }

  /** Files (Trash included) whose date is not found yet, in id order after `afterId`. */
  undated(afterId: number, limit: number): UndatedFile[] {
    return this.db
      .prepare(`SELECT id AS fileId, name, blob_hash AS hash, media_type AS mediaType, modified_at AS modifiedAt, created_at AS createdAt FROM files INDEXED BY files_undated WHERE date_source IS NULL AND id > ? ORDER BY id LIMIT ?`)
      .all(afterId, limit) as UndatedFile[];
  }

  /** How many files still have no date. */
  undatedCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM files WHERE date_source IS NULL').get() as { n: number }).n;
  }

  /**
   * Records found dates (run inside CatalogDb.write). A date from the bytes (EXIF, QuickTime)
   * holds for every undated file with those bytes that has no sidecar date; dimensions fill in
   * where unknown.
   */
  setDates(found: FoundDate[]): void {
    const one = this.db.prepare('UPDATE files SET taken_at = ?, date_source = ?, camera = COALESCE(?, camera), width = COALESCE(width, ?), height = COALESCE(height, ?) WHERE id = ? AND date_source IS NULL');
    // Files with a sidecar date are dated one by one (its date outranks their bytes': [Note: Sidecar metadata]).
    const same = this.db.prepare(
      `UPDATE files SET taken_at = ?, date_source = ?, camera = COALESCE(?, camera), width = COALESCE(width, ?), height = COALESCE(height, ?) WHERE blob_hash = ? AND date_source IS NULL
       AND NOT EXISTS (SELECT 1 FROM file_metadata m WHERE m.file_id = files.id AND m.source IN ('takeout', 'xmp') AND m.taken_at IS NOT NULL)`,
    );
    for (const f of found) {
      if (f.source === 'exif' || f.source === 'quicktime') same.run(f.takenAt, f.source, f.camera, f.width, f.height, f.hash);
      else one.run(f.takenAt, f.source, f.camera, f.width, f.height, f.fileId);
    }
  }
}

/** Everything the viewer's info panel shows about one file (versions come from versions.ts). */
export interface FileInfoRow {
  fileId: number;
  name: string;
  size: number;
  mediaType: string;
  width: number | null;
  height: number | null;
  at: number;
  dateSource: DateSource;
  camera: string | null;
  addedAt: number;
  trashed: boolean;
  albums: Array<{ id: number; name: string }>;
  sourcePaths: string[];
  livePart: { name: string; size: number; mediaType: string } | null;
  /** Every part beyond the main file: live video, RAW, XMP sidecars ([Note: Item parts]). */
  parts: Array<Omit<ItemPart, 'hash'>>;
  /** Sidecar metadata after precedence, with what each source said (DESIGN §12). */
  metadata: ResolvedMetadata;
}

/** The info of one file, or undefined if there is no such file. */
export function fileInfoRow(cdb: CatalogDb, fileId: number): FileInfoRow | undefined {
  const db = cdb.db;
  const f = db
    .prepare(
      `SELECT f.id AS fileId, f.name, f.size, f.media_type AS mediaType, f.width, f.height, ${AT} AS at, ${SOURCE} AS dateSource, f.camera,
              f.created_at AS addedAt, f.trashed_at IS NOT NULL AS trashed, f.taken_at AS takenAt, f.date_source AS ownSource FROM files f WHERE f.id = ?`,
    )
    .get(fileId) as (Omit<FileInfoRow, 'trashed' | 'albums' | 'sourcePaths' | 'livePart' | 'parts' | 'metadata'> & { trashed: number; takenAt: number | null; ownSource: DateSource | null }) | undefined;
  if (!f) return undefined;
  const { takenAt, ownSource, ...rest } = f;
  const metadata = resolveMetadata(new MetadataCatalog(cdb).of(fileId), { takenAt: ownSource === null ? null : takenAt, dateSource: ownSource });
  const parts = new ItemParts(cdb).of(fileId).map(({ hash: _hash, ...p }) => p);
  const albums = db.prepare(`SELECT a.id, a.name FROM memberships m JOIN albums a ON a.id = m.album_id WHERE m.file_id = ? ORDER BY a.kind = 'uncategorized', a.name`).all(fileId) as Array<{ id: number; name: string }>;
  const sourcePaths = (db.prepare('SELECT DISTINCT path FROM source_records WHERE file_id = ? ORDER BY path').all(fileId) as Array<{ path: string }>).map((r) => r.path);
  const live = parts.find((p) => p.role === 'live');
  return { ...rest, trashed: f.trashed === 1, albums, sourcePaths, livePart: live ? { name: live.name, size: live.size, mediaType: live.mediaType } : null, parts, metadata };
}
