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
  const albums = db.prepare(`SELECT id, name, kind, created_at AS createdAt FROM albums ORDER BY kind = 'uncategorized', name`).all() as Array<Pick<AlbumListRow, 'id' | 'name' | 'kind' | 'createdAt'>>;
  // Counts, bytes and covers in one pass over the memberships: SQLite gives the bare column f.id
  // from the row holding MAX(...), i.e. the album's newest file.
  const stats = new Map(
    (db.prepare(
      `SELECT m.album_id AS albumId, COUNT(*) AS fileCount, SUM(f.size) AS bytes, f.id AS coverId, MAX(COALESCE(f.taken_at, f.modified_at, f.created_at)) AS newest
       FROM memberships m JOIN files f ON f.id = m.file_id WHERE f.trashed_at IS NULL GROUP BY m.album_id`,
    ).all() as Array<{ albumId: number; fileCount: number; bytes: number; coverId: number }>).map((r) => [r.albumId, r]),
  );
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
  return albums.map((a) => {
    const st = stats.get(a.id);
    return { ...a, fileCount: st?.fileCount ?? 0, bytes: st?.bytes ?? 0, coverId: st?.coverId ?? null, folders: [...(folders.get(a.id) ?? [])].sort() };
  });
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
  /** Renames an album; the first name it had stays its source name ([Note: A renamed album keeps its folder]). */
  rename(id: number, name: string): void {
    this.cdb.db.prepare(`UPDATE albums SET source_name = COALESCE(source_name, name), name = ? WHERE id = ? AND kind = 'user'`).run(name, id);
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
