/** The last two components of a folder path ("A/2024" from "/home/me/A/2024"), on any platform. */
export function shortFolder(p) {
    return p.split(/[\\/]+/).filter(Boolean).slice(-2).join('/');
}
/** The parent of a path's folder: `/x/A/2024/Summer/1.jpg` → `/x/A/2024`. */
function grandParent(p) {
    return p.split(/[\\/]+/).slice(0, -2).join('/');
}
/**
 * Every album with its count, bytes, cover (its newest file) and the folders its files came
 * from — the parents of its source folders — so albums that share a leaf name (DESIGN §2: they
 * are one album) show where they gather from: "Summer — A/2024 · B".
 */
export function listAlbumsWithCovers(cdb) {
    const db = cdb.db;
    const albums = db.prepare(`SELECT id, name, kind, created_at AS createdAt FROM albums ORDER BY kind = 'uncategorized', name`).all();
    // Counts, bytes and covers in one pass over the memberships: SQLite gives the bare column f.id
    // from the row holding MAX(...), i.e. the album's newest file.
    const stats = new Map(db.prepare(`SELECT m.album_id AS albumId, COUNT(*) AS fileCount, SUM(f.size) AS bytes, f.id AS coverId, MAX(COALESCE(f.taken_at, f.modified_at, f.created_at)) AS newest
       FROM memberships m JOIN files f ON f.id = m.file_id WHERE f.trashed_at IS NULL GROUP BY m.album_id`).all().map((r) => [r.albumId, r]));
    // One pass over the distinct source folders per album (not per file).
    const folders = new Map();
    const dirs = db.prepare(`SELECT album_id AS albumId, rtrim(path, replace(replace(path, '/', ''), '\\', '')) AS dir FROM source_records GROUP BY album_id, dir`).all();
    for (const d of dirs) {
        const parent = shortFolder(grandParent(`${d.dir}x`));
        if (!parent)
            continue;
        let set = folders.get(d.albumId);
        if (!set)
            folders.set(d.albumId, (set = new Set()));
        set.add(parent);
    }
    return albums.map((a) => {
        const st = stats.get(a.id);
        return { ...a, fileCount: st?.fileCount ?? 0, bytes: st?.bytes ?? 0, coverId: st?.coverId ?? null, folders: [...(folders.get(a.id) ?? [])].sort() };
    });
}
/** Album changes from the window (run inside CatalogDb.write). */
export class AlbumEditor {
    cdb;
    catalog;
    now;
    constructor(cdb, catalog, now) {
        this.cdb = cdb;
        this.catalog = catalog;
        this.now = now;
    }
    /** The album's id and kind, if it exists. */
    album(id) {
        return this.cdb.db.prepare('SELECT id, name, kind FROM albums WHERE id = ?').get(id);
    }
    /** Creates an empty user album. */
    create(name) {
        return Number(this.cdb.db.prepare(`INSERT INTO albums (name, kind, created_at) VALUES (?, 'user', ?)`).run(name, this.now()).lastInsertRowid);
    }
    /** Renames a user album. */
    rename(id, name) {
        this.cdb.db.prepare(`UPDATE albums SET name = ? WHERE id = ? AND kind = 'user'`).run(name, id);
    }
    /** Adds live files to an album (each leaves Uncategorized); returns how many were not in it yet. */
    addFiles(albumId, fileIds) {
        const has = this.cdb.db.prepare('SELECT 1 FROM memberships WHERE album_id = ? AND file_id = ?');
        let n = 0;
        for (const id of fileIds) {
            if (!this.catalog.isLive(id) || has.get(albumId, id))
                continue;
            this.catalog.addMembership(albumId, id);
            n++;
        }
        return n;
    }
    /** Removes files from an album (a file left in no album goes to Uncategorized); returns how many were in it. */
    removeFiles(albumId, fileIds) {
        const has = this.cdb.db.prepare('SELECT 1 FROM memberships WHERE album_id = ? AND file_id = ?');
        let n = 0;
        for (const id of fileIds) {
            if (!has.get(albumId, id))
                continue;
            this.catalog.removeMembership(albumId, id);
            n++;
        }
        return n;
    }
}
//# sourceMappingURL=album-catalog.js.map