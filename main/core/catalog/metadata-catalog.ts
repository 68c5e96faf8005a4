import type { CatalogDb } from './catalog.js';

/** Where a file's metadata came from: a sidecar, or the file's own bytes ([Note: Sidecar metadata]). */
export type MetadataSource = 'takeout' | 'xmp' | 'embedded';

/** What one source says about a file. Plain data: it travels with an upload item. */
export interface FileMetadata {
  source: MetadataSource;
  /** The sidecar it was read from (`archive.zip!/entry` inside a ZIP); null for `embedded`. */
  sidecar: string | null;
  /** Capture date, wall clock read as UTC ([Note: Capture dates are wall-clock]). */
  takenAt: number | null;
  /** The same moment as an instant, when the source gave one (Takeout's timestamps are UTC). */
  takenInstant: number | null;
  location: { latitude: number; longitude: number; altitude: number | null } | null;
  description: string | null;
  favorite: boolean | null;
  /** XMP rating: -1 (rejected) to 5. */
  rating: number | null;
}

interface Row {
  source: MetadataSource;
  sidecar: string | null;
  takenAt: number | null;
  takenInstant: number | null;
  latitude: number | null;
  longitude: number | null;
  altitude: number | null;
  description: string | null;
  favorite: number | null;
  rating: number | null;
}

const COLS = `source, sidecar, taken_at AS takenAt, taken_instant AS takenInstant, latitude, longitude, altitude, description, favorite, rating`;

function fromRow(r: Row): FileMetadata {
  return {
    source: r.source, sidecar: r.sidecar, takenAt: r.takenAt, takenInstant: r.takenInstant,
    location: r.latitude !== null && r.longitude !== null ? { latitude: r.latitude, longitude: r.longitude, altitude: r.altitude } : null,
    description: r.description, favorite: r.favorite === null ? null : r.favorite === 1, rating: r.rating,
  };
}

/** Sidecar sources whose date outranks a file's own, best first (DESIGN §12: Takeout's date over EXIF). */
export const SIDECAR_DATE_ORDER: ReadonlyArray<'takeout' | 'xmp'> = ['takeout', 'xmp'];

/**
 * The catalog's sidecar metadata (`file_metadata`, migration 12): written when an item with
 * sidecars commits, read by the capture-date back-fill, `ls --json` and the info panel.
 * Mutations run inside CatalogDb.write().
 */
export class MetadataCatalog {
  constructor(private readonly cdb: CatalogDb, private readonly now: () => number = Date.now) {}

  private get db() {
    return this.cdb.db;
  }

  /**
   * Records what sidecars say about a file (one row per source, replacing an earlier reading).
   * A sidecar date outranks the file's own: a file already dated from its bytes, name or mtime
   * (or from a sidecar that now says otherwise) is marked undated, and the back-fill dates it
   * again by precedence (capture-date-service.ts).
   */
  record(fileId: number, rows: readonly FileMetadata[]): void {
    const put = this.db.prepare(
      `INSERT OR REPLACE INTO file_metadata (file_id, source, sidecar, taken_at, taken_instant, latitude, longitude, altitude, description, favorite, rating, read_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const m of rows) {
      put.run(fileId, m.source, m.sidecar, m.takenAt, m.takenInstant, m.location?.latitude ?? null, m.location?.longitude ?? null, m.location?.altitude ?? null,
        m.description, m.favorite === null ? null : m.favorite ? 1 : 0, m.rating, this.now());
    }
    const best = this.sidecarDate(fileId);
    if (best) this.db.prepare('UPDATE files SET date_source = NULL WHERE id = ? AND date_source IS NOT NULL AND (date_source != ? OR taken_at IS NOT ?)').run(fileId, best.source, best.takenAt);
    // A sidecar that no longer gives a date (an XMP edited): a date taken from it is dated again.
    else this.db.prepare(`UPDATE files SET date_source = NULL WHERE id = ? AND date_source IN ('takeout', 'xmp')`).run(fileId);
  }

  /** The best sidecar date of a file (Takeout over XMP), if any sidecar gave one. */
  sidecarDate(fileId: number): { takenAt: number; source: 'takeout' | 'xmp' } | undefined {
    const rows = this.db.prepare(`SELECT source, taken_at AS takenAt FROM file_metadata WHERE file_id = ? AND source IN ('takeout', 'xmp') AND taken_at IS NOT NULL`).all(fileId) as Array<{ source: 'takeout' | 'xmp'; takenAt: number }>;
    for (const s of SIDECAR_DATE_ORDER) {
      const r = rows.find((x) => x.source === s);
      if (r) return r;
    }
    return undefined;
  }

  /** Notes what a file's own metadata said, for a file whose sidecars outrank it (shown as overridden). */
  recordEmbedded(fileId: number, takenAt: number | null): void {
    this.db.prepare(`INSERT OR REPLACE INTO file_metadata (file_id, source, taken_at, read_at) VALUES (?, 'embedded', ?, ?)`).run(fileId, takenAt, this.now());
  }

  /** What every source says about one file. */
  of(fileId: number): FileMetadata[] {
    return (this.db.prepare(`SELECT ${COLS} FROM file_metadata WHERE file_id = ? ORDER BY source`).all(fileId) as Row[]).map(fromRow);
  }

  /** Every file's metadata at once (for listings), by file id; files without sidecars are absent. */
  all(): Map<number, FileMetadata[]> {
    const out = new Map<number, FileMetadata[]>();
    for (const r of this.db.prepare(`SELECT file_id AS fileId, ${COLS} FROM file_metadata ORDER BY file_id, source`).all() as Array<Row & { fileId: number }>) {
      (out.get(r.fileId) ?? out.set(r.fileId, []).get(r.fileId)!).push(fromRow(r));
    }
    return out;
  }

  /** Gives `to` the sources it has no row for (the kept copy of a duplicate keeps what its copies knew). */
  copyMissing(from: number, to: number, opts: { sidecarsOnly?: boolean } = {}): void {
    this.db.prepare(`INSERT OR IGNORE INTO file_metadata (file_id, source, sidecar, taken_at, taken_instant, latitude, longitude, altitude, description, favorite, rating, read_at)
       SELECT ?, source, sidecar, taken_at, taken_instant, latitude, longitude, altitude, description, favorite, rating, read_at FROM file_metadata WHERE file_id = ?${opts.sidecarsOnly ? ` AND source != 'embedded'` : ''}`).run(to, from);
  }
}
