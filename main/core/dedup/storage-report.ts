import fs from 'node:fs';
import { isErrno } from '../errors.js';
import { PARTS_DIFFER_SQL } from '../catalog/item-parts.js';
import type { EngineContext } from '../engine-context.js';

/** Storage accounting (issue #5). "Stored" is real disk use: each distinct content once. */
export interface StorageReport {
  /** Distinct contents stored (blobs), live and in Trash. */
  storedBytes: number;
  storedBlobs: number;
  /** Sum of all live files' sizes: what the library would take if every file were its own copy. */
  filesBytes: number;
  files: number;
  albums: Array<{ name: string; files: number; bytes: number }>;
  trash: { files: number; bytes: number; /** Disk freed by purging Trash now: bytes only trashed files use. */ freedByPurge: number };
  /** Duplicate copies and their apparent size; the bytes are stored once already, so purging them frees no blob storage. */
  duplicates: { groups: number; extraCopies: number; extraBytes: number };
  thumbnailsBytes: number;
}

/** Computes the storage report from the catalog (and the thumbnail folder's size). */
export function storageReport(ctx: EngineContext): StorageReport {
  const thumbnailsBytes = dirBytes(ctx.paths.thumbnails);
  const db = ctx.cdb.db;
  const one = <T>(sql: string) => db.prepare(sql).get() as T;
  const stored = one<{ n: number; b: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM blobs');
  const files = one<{ n: number; b: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM files WHERE trashed_at IS NULL');
  const trash = one<{ n: number; b: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM files WHERE trashed_at IS NOT NULL');
  const freed = one<{ b: number }>(
    `WITH parts AS (SELECT file_id, blob_hash FROM live_parts UNION ALL SELECT file_id, blob_hash FROM part_versions)
     SELECT COALESCE(SUM(b.size), 0) AS b FROM blobs b
     WHERE (EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NOT NULL)
            OR EXISTS (SELECT 1 FROM parts l JOIN files f ON f.id = l.file_id AND f.trashed_at IS NOT NULL WHERE l.blob_hash = b.hash))
       AND NOT EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NULL)
       AND NOT EXISTS (SELECT 1 FROM parts l JOIN files f ON f.id = l.file_id AND f.trashed_at IS NULL WHERE l.blob_hash = b.hash)`,
  );
  const dups = one<{ g: number; c: number; b: number }>(
    // Groups dedup would apply: not those whose copies carry different parts (left alone, DedupService).
    `SELECT COUNT(*) AS g, COALESCE(SUM(n - 1), 0) AS c, COALESCE(SUM((n - 1) * size), 0) AS b
     FROM (SELECT blob_hash AS h, COUNT(*) AS n, MAX(size) AS size FROM files WHERE trashed_at IS NULL GROUP BY blob_hash HAVING COUNT(*) > 1) d
     WHERE NOT EXISTS (
       SELECT 1 FROM files f1 JOIN live_parts x ON x.file_id = f1.id
       JOIN files f2 ON f2.blob_hash = d.h AND f2.trashed_at IS NULL AND f2.id != f1.id
       JOIN live_parts y ON y.file_id = f2.id AND ${PARTS_DIFFER_SQL}
       WHERE f1.blob_hash = d.h AND f1.trashed_at IS NULL)`,
  );
  const albums = db
    .prepare(
      `SELECT a.name, COUNT(f.id) AS files, COALESCE(SUM(f.size), 0) AS bytes FROM albums a
       LEFT JOIN memberships m ON m.album_id = a.id LEFT JOIN files f ON f.id = m.file_id AND f.trashed_at IS NULL
       GROUP BY a.id ORDER BY a.kind = 'uncategorized', a.name`,
    )
    .all() as StorageReport['albums'];
  return {
    storedBytes: stored.b, storedBlobs: stored.n, filesBytes: files.b, files: files.n, albums,
    trash: { files: trash.n, bytes: trash.b, freedByPurge: freed.b },
    duplicates: { groups: dups.g, extraCopies: dups.c, extraBytes: dups.b },
    thumbnailsBytes,
  };
}

/** Total size of the files under a folder (0 if it doesn't exist). */
function dirBytes(dir: string): number {
  let total = 0;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 0;
    throw err;
  }
  for (const e of entries) total += e.isDirectory() ? dirBytes(`${dir}/${e.name}`) : fs.statSync(`${dir}/${e.name}`).size;
  return total;
}
