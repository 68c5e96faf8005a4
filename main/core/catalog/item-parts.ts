import type { CatalogDb } from './catalog.js';

/** What an extra part of a library item is ([Note: Item parts], migration 12). */
export type PartRole = 'live' | 'raw' | 'xmp';

/**
 * SQL: one row if any catalog row names the blob `@h` as content (a file, Trash included; an
 * item's part; an earlier version of a part, [Note: Part versions]). What every "may these
 * bytes go" question asks.
 */
export const BLOB_USED_SQL = 'SELECT 1 FROM files WHERE blob_hash = @h UNION ALL SELECT 1 FROM live_parts WHERE blob_hash = @h UNION ALL SELECT 1 FROM part_versions WHERE blob_hash = @h LIMIT 1';

/** An earlier version of a part: the bytes it had before it was edited ([Note: Part versions]). */
export interface PartVersion extends ItemPart {
  replacedAt: number;
}

/** One extra part of a library item: stored bytes of its own, exported and restored with the item. */
export interface ItemPart {
  role: PartRole;
  hash: string;
  name: string;
  size: number;
  mediaType: string;
}

const COLS = 'role, blob_hash AS hash, name, size, media_type AS mediaType';

/**
 * SQL, true when part `x` of one file and part `y` of another make them different items
 * (DESIGN §4): a RAW or live video of the same role with other bytes, or XMP sidecars when the
 * other file has XMP sidecars but none with x's bytes (a rating or an edit of one copy only).
 * A file with no part of a role does not differ by it: the kept copy takes the other's part.
 */
export const PARTS_DIFFER_SQL = `((x.role IN ('raw', 'live') AND y.role = x.role AND y.blob_hash != x.blob_hash)
  OR (x.role = 'xmp' AND y.role = 'xmp' AND NOT EXISTS (SELECT 1 FROM live_parts z WHERE z.file_id = y.file_id AND z.role = 'xmp' AND z.blob_hash = x.blob_hash)))`;

/**
 * The parts of library items beyond their main file: a live photo's video, the RAW of a
 * RAW+JPEG pair, XMP sidecars. A part is never a library file of its own (no tile, no album,
 * no duplicate or similar-image candidate); its bytes are referenced from `live_parts`, which
 * every "is this blob still used" question reads. Mutations run inside CatalogDb.write().
 */
export class ItemParts {
  constructor(private readonly cdb: CatalogDb) {}

  private get db() {
    return this.cdb.db;
  }

  /** Every part of a file, live video first, then RAW, then XMP sidecars by name. */
  of(fileId: number): ItemPart[] {
    return this.db
      .prepare(`SELECT ${COLS} FROM live_parts WHERE file_id = ? ORDER BY CASE role WHEN 'live' THEN 0 WHEN 'raw' THEN 1 ELSE 2 END, name`)
      .all(fileId) as ItemPart[];
  }

  /** The file's part with this role and name (for live and raw parts the name is ignored: one per file). */
  find(fileId: number, role: PartRole, name: string): ItemPart | undefined {
    const byName = role === 'xmp' ? ' AND name = ?' : '';
    return this.db.prepare(`SELECT ${COLS} FROM live_parts WHERE file_id = ? AND role = ?${byName}`).get(...(role === 'xmp' ? [fileId, role, name] : [fileId, role])) as ItemPart | undefined;
  }

  /** Attaches a part to a file (its blob row must exist). */
  add(fileId: number, part: ItemPart): void {
    this.db.prepare('INSERT INTO live_parts (file_id, blob_hash, name, size, media_type, role) VALUES (?, ?, ?, ?, ?, ?)').run(fileId, part.hash, part.name, part.size, part.mediaType, part.role);
  }

  /** Takes a part off a file (call only where another row still names its bytes: this is no deletion of stored bytes). */
  remove(fileId: number, part: Pick<ItemPart, 'role' | 'name' | 'hash'>): void {
    this.db.prepare('DELETE FROM live_parts WHERE file_id = ? AND role = ? AND name = ? AND blob_hash = ?').run(fileId, part.role, part.name, part.hash);
  }

  /**
   * Points a part at new bytes (the sidecar, RAW or live video was edited in place). The earlier
   * bytes become a version of the part ([Note: Part versions]): kept, listed, freed with the file.
   */
  replace(fileId: number, part: ItemPart, at: number): void {
    const old = this.find(fileId, part.role, part.name);
    if (old && old.hash !== part.hash) {
      this.db
        .prepare('INSERT INTO part_versions (file_id, blob_hash, role, name, size, media_type, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(fileId, old.hash, old.role, old.name, old.size, old.mediaType, at);
    }
    const byName = part.role === 'xmp' ? ' AND name = @name' : '';
    this.db.prepare(`UPDATE live_parts SET blob_hash = @hash, name = @name, size = @size, media_type = @mediaType WHERE file_id = @fileId AND role = @role${byName}`).run({ ...part, fileId });
  }

  /** The earlier versions of a file's parts, newest first. */
  versionsOf(fileId: number): PartVersion[] {
    return this.db.prepare(`SELECT ${COLS}, replaced_at AS replacedAt FROM part_versions WHERE file_id = ? ORDER BY replaced_at DESC, id DESC`).all(fileId) as PartVersion[];
  }

  /** Gives `from`'s part versions to `to` (the kept copy of a duplicate takes its parts' history with them). */
  moveVersions(from: number, to: number): void {
    this.db.prepare('UPDATE part_versions SET file_id = ? WHERE file_id = ?').run(to, from);
  }

  /**
   * Moves `from`'s parts to `to` where `to` has no part of that role (for XMP: no sidecar at
   * all; two sidecars on one photo would be two competing edits): the kept copy of a duplicate
   * keeps them. A part left behind stays with `from` (in Trash), never lost.
   */
  moveMissing(from: number, to: number): void {
    this.db
      .prepare(`UPDATE OR IGNORE live_parts SET file_id = @to WHERE file_id = @from AND (role != 'xmp' OR NOT EXISTS (SELECT 1 FROM live_parts k WHERE k.file_id = @to AND k.role = 'xmp'))`)
      .run({ to, from });
  }

  /**
   * Two of these files whose parts differ (PARTS_DIFFER_SQL), if any: items alike in their photo
   * but not in their parts, so not copies of one item.
   */
  clashAmong(fileIds: readonly number[]): { role: PartRole; a: number; b: number } | undefined {
    const q = fileIds.map(() => '?').join(',');
    return this.db
      .prepare(
        `SELECT x.role, x.file_id AS a, y.file_id AS b FROM live_parts x
         JOIN live_parts y ON y.file_id != x.file_id AND y.file_id IN (${q}) AND ${PARTS_DIFFER_SQL}
         WHERE x.file_id IN (${q}) ORDER BY x.file_id, y.file_id LIMIT 1`,
      )
      .get(...fileIds, ...fileIds) as { role: PartRole; a: number; b: number } | undefined;
  }

  /** A part's source was renamed: the part is exported and restored under its new name. */
  rename(fileId: number, hash: string, from: string, to: string): void {
    this.db.prepare('UPDATE OR IGNORE live_parts SET name = ? WHERE file_id = ? AND blob_hash = ? AND name = ?').run(to, fileId, hash, from);
  }

  /** Copies `from`'s parts to `to` where `to` has no part of that role (or, for XMP, that name): a new version of an item keeps its RAW and sidecars. */
  copyMissing(from: number, to: number): void {
    this.db.prepare('INSERT OR IGNORE INTO live_parts (file_id, blob_hash, name, size, media_type, role) SELECT ?, blob_hash, name, size, media_type, role FROM live_parts WHERE file_id = ?').run(to, from);
  }

  /** Parts of many files at once (for listings), by file id. */
  ofFiles(): Map<number, ItemPart[]> {
    const out = new Map<number, ItemPart[]>();
    for (const r of this.db.prepare(`SELECT file_id AS fileId, ${COLS} FROM live_parts ORDER BY file_id, role, name`).all() as Array<ItemPart & { fileId: number }>) {
      const { fileId, ...part } = r;
      (out.get(fileId) ?? out.set(fileId, []).get(fileId)!).push(part);
    }
    return out;
  }
}
