import type { CatalogDb } from './catalog.js';
import type { LibraryCatalog } from './library-catalog.js';

/** An album with what the album list shows. */
export interface AlbumListRow {
  id: number;
  name: string;
  kind: 'user' | 'uncategorized';
  fileCount: number;
  bytes: number;
  coverId: number | null;
  folders: string[];
  createdAt: number;
}

/** The last two components of a folder path ("A/2024" from "/home/me/A/2024"), on any platform. */
export function shortFolder(p: string): string {
  return p.split(/[\\/]+/).filter(Boolean).slice(-2).join('/');
}

/** The parent of a path's folder: `/x/A/2024/Summer/1.jpg` → `/x/A/2024`. */
function grandParent(p: string): string {
  return p.split(/[\\/]+/).slice(0, -2).join('/');
}

/**
 * Every album with its count, bytes, cover (its newest file) and the folders its files came
 * from — the parents of its source folders — so albums that share a leaf name (DESIGN §2: they
 * are one album) show where they gather from: "Summer — A/2024 · B".
 */
export function listAlbumsWithCovers(cdb: CatalogDb): AlbumListRow[] {
  const db = cdb.db;
  const rows = db
    .prepare(
      `SELECT a.id, a.name, a.kind, a.created_at AS createdAt, COUNT(f.id) AS fileCount, COALESCE(SUM(f.size), 0) AS bytes,
              (SELECT f2.id FROM memberships m2 JOIN files f2 ON f2.id = m2.file_id WHERE m2.album_id = a.id AND f2.trashed_at IS NULL
               ORDER BY COALESCE(f2.taken_at, f2.modified_at, f2.created_at) DESC, f2.id DESC LIMIT 1) AS coverId
       FROM albums a LEFT JOIN memberships m ON m.album_id = a.id LEFT JOIN files f ON f.id = m.file_id AND f.trashed_at IS NULL
       GROUP BY a.id ORDER BY a.kind = 'uncategorized', a.name`,
    )
    .all() as Array<Omit<AlbumListRow, 'folders'>>;
  // One pass over the distinct source folders per album (not per file).
  const folders = new Map<number, Set<string>>();
  const dirs = db.prepare(`SELECT album_id AS albumId, rtrim(path, replace(replace(path, '/', ''), '\\', '')) AS dir FROM source_records GROUP BY album_id, dir`).all() as Array<{ albumId: number; dir: string }>;
  for (const d of dirs) {
    const parent = shortFolder(grandParent(`${d.dir}x`));
    if (!parent) continue;
    let set = folders.get(d.albumId);
    if (!set) folders.set(d.albumId, (set = new Set()));
    set.add(parent);
  }
  return rows.map((r) => ({ ...r, folders: [...(folders.get(r.id) ?? [])].sort() }));
}

/** Album changes from the window (run inside CatalogDb.write). */
export class AlbumEditor {
  constructor(private readonly cdb: CatalogDb, private readonly catalog: LibraryCatalog, private readonly now: () => number) {}

  /** The album's id and kind, if it exists. */
  album(id: number): { id: number; name: string; kind: 'user' | 'uncategorized' } | undefined {
    return this.cdb.db.prepare('SELECT id, name, kind FROM albums WHERE id = ?').get(id) as { id: number; name: string; kind: 'user' | 'uncategorized' } | undefined;
  }

  /** Creates an empty user album. */
  create(name: string): number {
    return Number(this.cdb.db.prepare(`INSERT INTO albums (name, kind, created_at) VALUES (?, 'user', ?)`).run(name, this.now()).lastInsertRowid);
  }

  /** Renames a user album. */
  rename(id: number, name: string): void {
    this.cdb.db.prepare(`UPDATE albums SET name = ? WHERE id = ? AND kind = 'user'`).run(name, id);
  }

  /** Adds live files to an album (each leaves Uncategorized); returns how many were not in it yet. */
  addFiles(albumId: number, fileIds: number[]): number {
    const has = this.cdb.db.prepare('SELECT 1 FROM memberships WHERE album_id = ? AND file_id = ?');
    let n = 0;
    for (const id of fileIds) {
      if (!this.catalog.isLive(id) || has.get(albumId, id)) continue;
      this.catalog.addMembership(albumId, id);
      n++;
    }
    return n;
  }

  /** Removes files from an album (a file left in no album goes to Uncategorized); returns how many were in it. */
  removeFiles(albumId: number, fileIds: number[]): number {
    const has = this.cdb.db.prepare('SELECT 1 FROM memberships WHERE album_id = ? AND file_id = ?');
    let n = 0;
    for (const id of fileIds) {
      if (!has.get(albumId, id)) continue;
      this.catalog.removeMembership(albumId, id);
      n++;
    }
    return n;
  }
}
