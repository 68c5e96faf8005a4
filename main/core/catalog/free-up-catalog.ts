import type { RecordFacts } from '../free-up/decide-free-up.js';
import type { CatalogDb } from './catalog.js';

/** What the catalog knows of one source record, for Free up space: the pure decision's RecordFacts. */
export type SourceRecordFacts = RecordFacts;

/** Free up space's questions to the catalog (issue #20). Reads only. */
export class FreeUpCatalog {
  constructor(private readonly cdb: CatalogDb) {}

  private get db() {
    return this.cdb.db;
  }

  /** Every source record at this path, each with the live library file that holds its content now. */
  recordFacts(path: string): SourceRecordFacts[] {
    const rows = this.db
      .prepare(
        `SELECT s.file_id AS fileId, s.hash, s.size, s.mtime_ms AS mtimeMs, f.id IS NOT NULL AS exists_, f.trashed_at IS NOT NULL AS trashed
         FROM source_records s LEFT JOIN files f ON f.id = s.file_id WHERE s.path = ?`,
      )
      .all(path) as Array<{ fileId: number; hash: string; size: number; mtimeMs: number; exists_: number; trashed: number }>;
    return rows.map((r) => {
      const holder = this.liveHolder(r.fileId, r.hash);
      const fileId = holder ?? r.fileId;
      const library = holder !== undefined ? 'live' : r.exists_ && r.trashed ? 'trashed' : 'missing';
      return { fileId, hash: r.hash, size: r.size, mtimeMs: r.mtimeMs, library, albumIds: this.albumIds(fileId), date: this.date(fileId) };
    });
  }

  /**
   * A live library file whose content (its own bytes or its live-photo video) is `hash`:
   * `fileId` itself when it is one, else any other (after dedup the kept copy holds it).
   */
  liveHolder(fileId: number, hash: string): number | undefined {
    const row = this.db
      .prepare(
        `SELECT id FROM files WHERE id = ? AND trashed_at IS NULL AND (blob_hash = ? OR EXISTS (SELECT 1 FROM live_parts WHERE file_id = ? AND blob_hash = ?))
         UNION ALL SELECT id FROM files WHERE blob_hash = ? AND trashed_at IS NULL
         UNION ALL SELECT f.id FROM live_parts p JOIN files f ON f.id = p.file_id WHERE p.blob_hash = ? AND f.trashed_at IS NULL
         LIMIT 1`,
      )
      .get(fileId, hash, fileId, hash, hash, hash) as { id: number } | undefined;
    return row?.id;
  }

  /** True if the person deleted the library copy of a source at this path (re-upload protection). */
  isIgnored(path: string): boolean {
    return this.db.prepare('SELECT 1 FROM ignored_sources WHERE path = ? LIMIT 1').get(path) !== undefined;
  }

  private albumIds(fileId: number): number[] {
    return (this.db.prepare('SELECT album_id AS id FROM memberships WHERE file_id = ?').all(fileId) as { id: number }[]).map((r) => r.id);
  }

  private date(fileId: number): number {
    const row = this.db.prepare('SELECT COALESCE(taken_at, modified_at, created_at) AS at FROM files WHERE id = ?').get(fileId) as { at: number } | undefined;
    return row?.at ?? 0;
  }
}
