import type Database from 'better-sqlite3';
import { resolveMetadata, type ResolvedMetadata } from '../import/metadata-precedence.js';
import type { CatalogDb } from './catalog.js';
import { ItemParts, type ItemPart, type PartVersion } from './item-parts.js';
import { captureDaySql } from './migrations.js';
import { MetadataCatalog } from './metadata-catalog.js';

/** Where a capture date came from. */
export type DateSource = 'exif' | 'quicktime' | 'filename' | 'mtime' | 'added' | 'takeout' | 'xmp';

/** What every listing of a library file shows (the timeline, the viewer's info, dedup and similar groups). */
export interface FileBasics {
  fileId: number;
  name: string;
  size: number;
  mediaType: string;
  width: number | null;
  height: number | null;
}

/** A file on the timeline. */
export interface TimelineRow extends FileBasics {
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

/**
 * [Note: Timeline day index] (migration 11) The timeline needs, before its first tile, how many
 * files each day holds; counting them from 100k files took 110 ms idle and over a second on a
 * busy machine, every time the window opened. `timeline_days` keeps the count per capture day,
 * maintained by triggers on `files` (like the duplicate index's `live_files`), so the days are a
 * read of a few thousand rows and a page anywhere starts at its day. `check` compares it with the
 * files and `--repair` recounts it; a catalog rebuilt from its tables recounts it too.
 */
export function recountTimelineDays(db: Database.Database): void {
  db.prepare('DELETE FROM timeline_days').run();
  db.prepare(`INSERT INTO timeline_days (day, files) SELECT ${captureDaySql('')}, COUNT(*) FROM files WHERE trashed_at IS NULL GROUP BY 1`).run();
}

/** The catalog's queries for capture dates and the All photos timeline. */
export class TimelineCatalog {
  constructor(private readonly cdb: CatalogDb) {}

  private get db() {
    return this.cdb.db;
  }

  /** Live files per day (by capture date, wall clock), newest day first. */
  days(): Array<{ day: string; count: number }> {
    return this.dayCounts().map((r) => ({ day: new Date(r.day * 86_400_000).toISOString().slice(0, 10), count: r.files }));
  }

  /**
   * One page of the timeline, newest first (the order of `days`). The day index says which day
   * the page starts in, so the query starts there instead of stepping over `offset` rows: a page
   * deep in 100k files costs what the first one does.
   */
  page(offset: number, limit: number): { total: number; items: TimelineRow[] } {
    let total = 0;
    let before = 0;
    let startDay: number | undefined;
    for (const d of this.dayCounts()) {
      if (startDay === undefined && total + d.files > offset) {
        startDay = d.day;
        before = total;
      }
      total += d.files;
    }
    if (startDay === undefined) return { total, items: [] };
    const items = this.db
      .prepare(
        `SELECT f.id AS fileId, f.name, f.size, f.media_type AS mediaType, f.width, f.height, f.taken_at AS takenAt, ${AT} AS at, ${SOURCE} AS dateSource
         FROM files f INDEXED BY files_timeline WHERE f.trashed_at IS NULL AND ${AT} < ? ORDER BY ${AT} DESC, f.id DESC LIMIT ? OFFSET ?`,
      )
      .all((startDay + 1) * 86_400_000, limit, offset - before) as TimelineRow[];
    return { total, items };
  }

  /** The day index, newest day first ([Note: Timeline day index]). */
  private dayCounts(): Array<{ day: number; files: number }> {
    return this.db.prepare('SELECT day, files FROM timeline_days WHERE files > 0 ORDER BY day DESC').all() as Array<{ day: number; files: number }>;
  }

  /** Days whose count in the index is not what the files say (for `check`); empty when it is right. */
  dayIndexErrors(): Array<{ day: number; recorded: number; actual: number }> {
    return this.db
      .prepare(
        `WITH actual AS (SELECT ${captureDaySql('')} AS day, COUNT(*) AS n FROM files WHERE trashed_at IS NULL GROUP BY 1),
              recorded AS (SELECT day, files AS n FROM timeline_days WHERE files != 0)
         SELECT COALESCE(a.day, r.day) AS day, COALESCE(r.n, 0) AS recorded, COALESCE(a.n, 0) AS actual
         FROM actual a FULL JOIN recorded r ON r.day = a.day WHERE COALESCE(r.n, 0) != COALESCE(a.n, 0) ORDER BY 1`,
      )
      .all() as Array<{ day: number; recorded: number; actual: number }>;
  }

  /** Counts the day index again from the files (check --repair, a rebuilt catalog). Run inside a write. */
  recountDays(): void {
    recountTimelineDays(this.db);
  }

  /** Files (Trash included) whose date is not found yet, in id order after `afterId`. */
  undated(afterId: number, limit: number): UndatedFile[] {
    return this.db
      .prepare(`SELECT id AS fileId, name, blob_hash AS hash, media_type AS mediaType, modified_at AS modifiedAt, created_at AS createdAt FROM files INDEXED BY files_undated WHERE date_source IS NULL AND id > ? ORDER BY id LIMIT ?`)
      .all(afterId, limit) as UndatedFile[];
  }

  /** Those of these files whose date is not found yet. */
  undatedAmong(fileIds: number[]): UndatedFile[] {
    const out: UndatedFile[] = [];
    const one = this.db.prepare(`SELECT id AS fileId, name, blob_hash AS hash, media_type AS mediaType, modified_at AS modifiedAt, created_at AS createdAt FROM files WHERE id = ? AND date_source IS NULL`);
    for (const id of new Set(fileIds)) {
      const f = one.get(id) as UndatedFile | undefined;
      if (f) out.push(f);
    }
    return out;
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
export interface FileInfoRow extends FileBasics {
  at: number;
  dateSource: DateSource;
  camera: string | null;
  addedAt: number;
  trashed: boolean;
  albums: Array<{ id: number; name: string }>;
  sourcePaths: string[];
  /**
   * Where the bytes came from when no source names this file now: the path an earlier version
   * was backed up from (the file there is a newer version now), or the paths of a file in Trash.
   */
  formerSources: Array<{ path: string; why: 'earlier version' | 'in Trash' }>;
  livePart: { name: string; size: number; mediaType: string } | null;
  /** Every part beyond the main file: live video, RAW, XMP sidecars ([Note: Item parts]). */
  parts: Array<Omit<ItemPart, 'hash'>>;
  /** Earlier bytes of those parts, edited in place since, newest first ([Note: Part versions]). */
  partVersions: Array<Omit<PartVersion, 'hash'>>;
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
    .get(fileId) as (Omit<FileInfoRow, 'trashed' | 'albums' | 'sourcePaths' | 'formerSources' | 'livePart' | 'parts' | 'partVersions' | 'metadata'> & { trashed: number; takenAt: number | null; ownSource: DateSource | null }) | undefined;
  if (!f) return undefined;
  const { takenAt, ownSource, ...rest } = f;
  const metadata = resolveMetadata(new MetadataCatalog(cdb).of(fileId), { takenAt: ownSource === null ? null : takenAt, dateSource: ownSource });
  const itemParts = new ItemParts(cdb);
  const parts = itemParts.of(fileId).map(({ hash: _hash, ...p }) => p);
  const partVersions = itemParts.versionsOf(fileId).map(({ hash: _hash, ...p }) => p);
  const albums = db.prepare(`SELECT a.id, a.name FROM memberships m JOIN albums a ON a.id = m.album_id WHERE m.file_id = ? ORDER BY a.kind = 'uncategorized', a.name`).all(fileId) as Array<{ id: number; name: string }>;
  const sourcePaths = (db.prepare('SELECT DISTINCT path FROM source_records WHERE file_id = ? ORDER BY path').all(fileId) as Array<{ path: string }>).map((r) => r.path);
  const formerSources: FileInfoRow['formerSources'] = sourcePaths.length > 0 ? [] : [
    ...(db.prepare('SELECT DISTINCT path FROM trashed_sources WHERE file_id = ? ORDER BY path').pluck().all(fileId) as string[]).map((p) => ({ path: p, why: 'in Trash' as const })),
    ...(db.prepare('SELECT source_path FROM files WHERE id = ? AND source_path IS NOT NULL').pluck().all(fileId) as string[]).map((p) => ({ path: p, why: 'earlier version' as const })),
  ];
  const live = parts.find((p) => p.role === 'live');
  return { ...rest, trashed: f.trashed === 1, albums, sourcePaths, formerSources, livePart: live ? { name: live.name, size: live.size, mediaType: live.mediaType } : null, parts, partVersions, metadata };
}
