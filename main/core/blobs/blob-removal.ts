import fs from 'node:fs';
import { injectFault } from '../faults.js';
import type Database from 'better-sqlite3';
import type { CatalogDb } from '../catalog/catalog.js';
import { BLOB_USED_SQL } from '../catalog/item-parts.js';
import { isErrno } from '../errors.js';
import type { Logger } from '../logger.js';
import { blobPath } from './blob-store.js';

/**
 * [Note: Blob tombstones]
 * Removing a blob's file races every process that may commit a new reference to the same
 * bytes (an upload of a copy, a watched file). An upload checks that the blob file exists
 * *inside* its commit transaction ([Note: Blob present at commit], upload-pipeline.ts), so a
 * blob file may only be unlinked inside a write transaction too, after the catalog said, in
 * that same transaction, that nothing references it. Trash purge therefore works in two steps:
 *   1. one transaction deletes the rows (files, blob rows) and records a tombstone per blob
 *      left without references (`blob_deletions`);
 *   2. finishBlobDeletions: per batch, one write transaction re-checks that no blob row, file
 *      or live-photo part names the hash, unlinks the file, and drops the tombstone. A hash that
 *      was referenced again meanwhile keeps its file (only the tombstone goes).
 * Either an upload commits before step 2's transaction (step 2 then sees the reference), or
 * after it (the upload then sees no file and copies the bytes again). A crash between the
 * steps leaves tombstones, finished at the next open or purge. Step 2 runs only when SQLite's
 * integrity check passes: a reference hidden by a damaged index must not look like none.
 */

const BATCH = 200; // unlinks per write transaction: short enough not to hold other writers up

/** Records, inside the caller's write transaction, that this blob's file is to be removed. */
export function queueBlobDeletion(db: Database.Database, hash: string, size: number, at: number): void {
  db.prepare('INSERT OR REPLACE INTO blob_deletions (hash, size, queued_at) VALUES (?, ?, ?)').run(hash, size, at);
}

/** True if a blob row, a file (Trash included), an item's part or an earlier version of one names this hash. */
export function isBlobReferenced(db: Database.Database, hash: string): boolean {
  return db.prepare('SELECT 1 FROM blobs WHERE hash = ?').get(hash) !== undefined || db.prepare(BLOB_USED_SQL).get({ h: hash }) !== undefined;
}

/**
 * Of these hashes, the ones a blob row, file, part or part version names, found by reading the
 * tables themselves (NOT INDEXED: a full scan that cannot be misled by a damaged index). A
 * second opinion before bytes are moved or removed; ~10 ms per 100k rows and table.
 */
export function referencedByScan(db: Database.Database, hashes: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  if (hashes.size === 0) return found;
  const scans = ['blobs NOT INDEXED', 'files NOT INDEXED', 'live_parts NOT INDEXED', 'part_versions NOT INDEXED'].map((t) => `SELECT ${t.startsWith('blobs') ? 'hash' : 'blob_hash'} AS h FROM ${t}`);
  for (const sql of scans) {
    for (const r of db.prepare(sql).iterate() as Iterable<{ h: string }>) if (hashes.has(r.h)) found.add(r.h);
  }
  return found;
}

/** SQLite's full integrity check: null when the catalog is sound, else what it found (first lines). */
export function catalogDamage(cdb: CatalogDb): string | null {
  const lines = cdb.integrityCheck();
  return lines.length === 1 && lines[0] === 'ok' ? null : lines.slice(0, 5).join('; ');
}

/** Number of tombstones waiting. */
export function pendingBlobDeletions(db: Database.Database): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM blob_deletions').get() as { n: number }).n;
}

/** What finishing the tombstones did. */
export interface BlobDeletionResult {
  removed: Array<{ hash: string; size: number }>;
  /** Tombstoned blobs that were referenced again (an upload of the same bytes): their files stay. */
  kept: string[];
  /** Tombstoned blobs whose file was already gone. */
  missing: string[];
  /** Set when the catalog failed its integrity check: nothing was removed, the tombstones wait. */
  blockedBy: string | null;
}

/**
 * Removes the files of tombstoned blobs that are still unreferenced, each under the catalog's
 * write lock (see [Note: Blob tombstones]). `intact` skips the integrity check when the caller
 * has just run it.
 */
export function finishBlobDeletions(cdb: CatalogDb, objectsDir: string, log: Logger, opts: { intact?: boolean } = {}): BlobDeletionResult {
  const db = cdb.db;
  const result: BlobDeletionResult = { removed: [], kept: [], missing: [], blockedBy: null };
  if (pendingBlobDeletions(db) === 0) return result;
  if (!opts.intact) {
    result.blockedBy = catalogDamage(cdb);
    if (result.blockedBy !== null) {
      log.warn('catalog failed its integrity check; purged blobs are kept until `shoebox check` sorts it out', { damage: result.blockedBy });
      return result;
    }
  }
  let after = '';
  for (;;) {
    const done = cdb.write(() => {
      const batch = db.prepare('SELECT hash, size FROM blob_deletions WHERE hash > ? ORDER BY hash LIMIT ?').all(after, BATCH) as Array<{ hash: string; size: number }>;
      for (const b of batch) {
        after = b.hash;
        if (isBlobReferenced(db, b.hash)) {
          result.kept.push(b.hash);
        } else {
          try {
            injectFault('purge-unlink');
            fs.rmSync(blobPath(objectsDir, b.hash));
            result.removed.push(b);
          } catch (err) {
            if (isErrno(err, 'ENOENT')) {
              result.missing.push(b.hash);
            } else {
              // Keep the tombstone: the next open or purge tries again.
              log.warn('could not remove a purged blob; will retry', { hash: b.hash, error: (err as Error).message });
              continue;
            }
          }
        }
        db.prepare('DELETE FROM blob_deletions WHERE hash = ?').run(b.hash);
      }
      return batch.length < BATCH;
    });
    if (done) break;
  }
  if (result.kept.length > 0) log.info('purged blobs referenced again by a new upload were kept', { kept: result.kept.length });
  return result;
}
