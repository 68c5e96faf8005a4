/** Computes the storage report from the catalog (and the thumbnail folder's size). */
export function storageReport(ctx, thumbnailsBytes) {
    const db = ctx.cdb.db;
    const one = (sql) => db.prepare(sql).get();
    const stored = one('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM blobs');
    const files = one('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM files WHERE trashed_at IS NULL');
    const trash = one('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM files WHERE trashed_at IS NOT NULL');
    const freed = one(`SELECT COALESCE(SUM(b.size), 0) AS b FROM blobs b
     WHERE EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NULL)
       AND NOT EXISTS (SELECT 1 FROM live_parts l JOIN files f ON f.id = l.file_id AND f.trashed_at IS NULL WHERE l.blob_hash = b.hash)`);
    const dups = one(`SELECT COUNT(*) AS g, COALESCE(SUM(n - 1), 0) AS c, COALESCE(SUM((n - 1) * size), 0) AS b
     FROM (SELECT COUNT(*) AS n, MAX(size) AS size FROM files WHERE trashed_at IS NULL GROUP BY blob_hash HAVING COUNT(*) > 1)`);
    const albums = db
        .prepare(`SELECT a.name, COUNT(f.id) AS files, COALESCE(SUM(f.size), 0) AS bytes FROM albums a
       LEFT JOIN memberships m ON m.album_id = a.id LEFT JOIN files f ON f.id = m.file_id AND f.trashed_at IS NULL
       GROUP BY a.id ORDER BY a.kind = 'uncategorized', a.name`)
        .all();
    return {
        storedBytes: stored.b, storedBlobs: stored.n, filesBytes: files.b, files: files.n, albums,
        trash: { files: trash.n, bytes: trash.b, freedByPurge: freed.b },
        duplicates: { groups: dups.g, extraCopies: dups.c, extraBytes: dups.b },
        thumbnailsBytes,
    };
}
//# sourceMappingURL=storage-report.js.map