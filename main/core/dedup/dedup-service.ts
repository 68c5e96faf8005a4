import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import type { TrashService } from '../trash/trash-service.js';
import { chooseKeep, type DuplicateCopy } from './choose-keep.js';
import { injectFault } from '../faults.js';
import { plural } from '../format.js';

/** A group of exact duplicates: live files with the same content. */
export interface DuplicateGroup {
  /** Stable id: the first 12 hex digits of the content hash. */
  id: string;
  hash: string;
  size: number;
  copies: DuplicateCopy[];
  /** The copy kept unless the user picks another. */
  keep: number;
  /**
   * Why the group is left alone, or null: two of its copies carry a RAW or live photo video of
   * their own with different bytes, or XMP sidecars that differ, so they are different items
   * (DESIGN §4, README).
   */
  leftAlone: string | null;
}

/** What the user confirmed for one group. */
export interface DedupSelection {
  hash: string;
  keep: number;
  /** The copies the user saw; if the group differs now, it is skipped, never half-applied. */
  fileIds: number[];
}

/** The result of applying one group. */
export type DedupGroupResult = { hash: string; status: 'applied'; trashed: number; albums: string[] } | { hash: string; status: 'skipped'; reason: string };

/**
 * Deduplicate files (DESIGN §4): exact duplicates across albums, grouped by content hash, and
 * an atomic apply per group: every album that held any copy gets the kept file, the other
 * copies go to Trash (their watched sources now point at the kept file, so nothing is
 * uploaded again).
 */
export class DedupService {
  constructor(private readonly ctx: EngineContext, private readonly trash: TrashService) {}

  /** Number of duplicate groups. */
  countGroups(): number {
    return (this.ctx.cdb.db.prepare('SELECT COUNT(*) AS n FROM blobs WHERE live_files > 1').get() as { n: number }).n;
  }

  /** Duplicate groups in hash order, a page at a time (all when limit is omitted). */
  listGroups(page: { offset?: number; limit?: number } = {}): DuplicateGroup[] {
    const db = this.ctx.cdb.db;
    const rows = db
      .prepare(
        `WITH dup AS MATERIALIZED (SELECT hash AS blob_hash FROM blobs WHERE live_files > 1 ORDER BY hash LIMIT ? OFFSET ?)
         SELECT f.blob_hash AS hash, f.id AS fileId, f.name, f.size, f.media_type AS mediaType, f.width, f.height, f.taken_at AS takenAt,
                f.modified_at AS modifiedAt, f.created_at AS createdAt,
                (SELECT GROUP_CONCAT(a.name, char(30)) FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id = f.id) AS albums,
                (SELECT s.path FROM source_records s WHERE s.file_id = f.id AND s.hash = f.blob_hash ORDER BY length(s.path), s.path LIMIT 1) AS sourcePath -- the photo's own source, not a part's
         FROM dup CROSS JOIN files f ON f.blob_hash = dup.blob_hash AND f.trashed_at IS NULL -- CROSS: page first, then its files
         ORDER BY f.blob_hash, f.id`,
      )
      .all(page.limit ?? -1, page.offset ?? 0) as Array<Omit<DuplicateCopy, 'albums'> & { hash: string; albums: string | null }>;
    const groups: DuplicateGroup[] = [];
    let g: DuplicateGroup | undefined;
    for (const r of rows) {
      if (!g || g.hash !== r.hash) {
        g = { id: r.hash.slice(0, 12), hash: r.hash, size: r.size, copies: [], keep: 0, leftAlone: null };
        groups.push(g);
      }
      g.copies.push({
        fileId: r.fileId, name: r.name, size: r.size, mediaType: r.mediaType, width: r.width, height: r.height, takenAt: r.takenAt,
        modifiedAt: r.modifiedAt, createdAt: r.createdAt, albums: r.albums ? r.albums.split('\u001e').sort() : [], sourcePath: r.sourcePath,
      });
    }
    for (const g of groups) {
      g.keep = chooseKeep(g.copies).fileId;
      g.leftAlone = this.partsApart(g.copies.map((c) => c.fileId));
    }
    return groups;
  }

  /** Applies one group in one transaction; a group that changed since it was listed is skipped. */
  applyGroup(sel: DedupSelection): DedupGroupResult {
    const db = this.ctx.cdb.db;
    const { catalog } = this.ctx;
    return this.ctx.cdb.write((): DedupGroupResult => {
      const now = (db.prepare('SELECT id FROM files WHERE blob_hash = ? AND trashed_at IS NULL ORDER BY id').all(sel.hash) as { id: number }[]).map((r) => r.id);
      const listed = [...sel.fileIds].sort((a, b) => a - b);
      if (now.length !== listed.length || now.some((id, i) => id !== listed[i])) {
        return { hash: sel.hash, status: 'skipped', reason: `group ${sel.hash.slice(0, 12)} changed since it was listed (${listed.length} copies then, ${now.length} now); list it again` };
      }
      if (!now.includes(sel.keep)) throw new ShoeboxError('INVALID_ARGUMENT', `File ${sel.keep} is not one of the copies in group ${sel.hash.slice(0, 12)}.`);
      const others = now.filter((id) => id !== sel.keep);
      // Same photo bytes, but RAWs or live videos of their own that differ: these are different
      // items, and trashing one would take its RAW or video with it (or leave it only in Trash,
      // when the kept copy has none and takes another's). All stay.
      const apart = this.partsApart(now);
      if (apart) return { hash: sel.hash, status: 'skipped', reason: apart };
      const albums = db
        .prepare(`SELECT DISTINCT a.id, a.name FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id IN (${now.map(() => '?').join(',')}) ORDER BY a.name`)
        .all(...now) as { id: number; name: string }[];
      for (const a of albums) catalog.addMembership(a.id, sel.keep);
      for (const id of others) {
        // Keep the parts (live video, RAW, XMP) and sidecar metadata the kept copy lacks with it,
        // and keep watched sources pointing at content that is still in the library (no
        // re-upload, deletions still followed).
        catalog.parts.moveMissing(id, sel.keep);
        catalog.parts.moveVersions(id, sel.keep); // [Note: Part versions]
        catalog.metadata.copyMissing(id, sel.keep);
        db.prepare('UPDATE source_records SET file_id = ? WHERE file_id = ?').run(sel.keep, id);
      }
      this.trash.trash(others, { forgetSources: false, reason: 'duplicate' });
      catalog.settleUncategorized(sel.keep);
      injectFault('dedup-group-tx');
      this.ctx.activity.record('info', 'DEDUPED', `${plural(others.length, 'duplicate')} of ${catalog.fileName(sel.keep)} moved to Trash`, null, sel.keep);
      return { hash: sel.hash, status: 'applied', trashed: others.length, albums: albums.map((a) => a.name) };
    });
  }

  /** Why copies of one photo are different items (see DuplicateGroup.leftAlone), or null. */
  private partsApart(fileIds: readonly number[]): string | null {
    const { catalog } = this.ctx;
    const clash = catalog.parts.clashAmong(fileIds);
    if (!clash) return null;
    const what = clash.role === 'raw' ? 'RAW' : clash.role === 'live' ? 'live photo video' : 'XMP sidecar (another rating or edit)';
    return `${catalog.fileName(clash.a)} (file ${clash.a}) and ${catalog.fileName(clash.b)} (file ${clash.b}) are the same photo with a different ${what}: the group is left alone, every copy kept (move one to Trash yourself if you mean to)`;
  }

  /** Applies confirmed groups, each atomically (in order); reports progress after each group. */
  apply(selections: DedupSelection[], onProgress?: (done: number, total: number, last: DedupGroupResult) => void): DedupGroupResult[] {
    const results: DedupGroupResult[] = [];
    for (const sel of selections) {
      const r = this.applyGroup(sel);
      results.push(r);
      injectFault('dedup-group');
      onProgress?.(results.length, selections.length, r);
    }
    return results;
  }
}
