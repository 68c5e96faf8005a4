import fs from 'node:fs';
import { injectFault } from '../faults.js';
import type { CatalogDb } from '../catalog/catalog.js';
import type { Logger } from '../logger.js';
import { catalogDamage, referencedByScan } from './blob-removal.js';
import { blobPath, listBlobShards } from './blob-store.js';
import { listQuarantine, moveToQuarantine, takeBackFromQuarantine } from './quarantine.js';

/** What collecting stray blobs did. */
export interface StrayCollection {
  /** Stray blob files moved into quarantine. */
  quarantined: number;
  bytes: number;
  /** Quarantined blobs the catalog names again, put back into the store. */
  takenBack: number;
  /** Set when nothing was done because the catalog failed its integrity check. */
  blockedBy: string | null;
}

/**
 * Blob files that no catalog row references: not found through the blobs index, not waiting for
 * removal (a tombstone), and not named by any blob row, file or live part in a full scan of the
 * tables. The scan is the second opinion that keeps a damaged index from calling a photo's
 * only copy a stray (issue #15).
 */
export function findStrayBlobs(cdb: CatalogDb, objectsDir: string): string[] {
  const db = cdb.db;
  const known = db.prepare('SELECT 1 FROM blobs WHERE hash = ? UNION ALL SELECT 1 FROM blob_deletions WHERE hash = ? LIMIT 1');
  const candidates = new Set<string>();
  for (const { names } of listBlobShards(objectsDir)) for (const n of names) if (known.get(n, n) === undefined) candidates.add(n);
  const referenced = referencedByScan(db, candidates);
  return [...candidates].filter((h) => !referenced.has(h));
}

/**
 * Moves blob files that no catalog row references (a crash between placing a blob and
 * committing its row leaves one) into quarantine, and takes quarantined blobs the catalog names
 * again back into the store ([Note: Blob quarantine]). Does nothing while SQLite's integrity
 * check fails. Moves happen inside one catalog write transaction after the strays are confirmed
 * again in it: see [Note: Blob present at commit] in upload-pipeline.ts for why that makes it
 * safe while another process is uploading.
 */
export function collectStrayBlobs(cdb: CatalogDb, dirs: { objects: string; quarantine: string }, log: Logger, now: number): StrayCollection {
  const result: StrayCollection = { quarantined: 0, bytes: 0, takenBack: 0, blockedBy: catalogDamage(cdb) };
  if (result.blockedBy !== null) {
    log.warn('catalog failed its integrity check; stray blobs are left where they are', { damage: result.blockedBy });
    return result;
  }
  const strays = findStrayBlobs(cdb, dirs.objects);
  const quarantined = listQuarantine(dirs.quarantine);
  if (strays.length === 0 && quarantined.length === 0) return result;
  injectFault('gc-move');
  const named = cdb.db.prepare('SELECT 1 FROM blobs WHERE hash = ?');
  cdb.write(() => {
    // Confirmed again under the write lock: an upload may have committed one meanwhile.
    const referenced = referencedByScan(cdb.db, new Set([...strays, ...quarantined.map((e) => e.hash)]));
    for (const h of strays) {
      if (referenced.has(h) || named.get(h) !== undefined) continue;
      try {
        const size = fs.statSync(blobPath(dirs.objects, h)).size;
        moveToQuarantine(dirs.objects, dirs.quarantine, h, now);
        result.quarantined++;
        result.bytes += size;
      } catch (err) {
        log.warn('could not move a stray blob into quarantine', { hash: h, error: (err as Error).message });
      }
    }
    const sizeOf = cdb.db.prepare('SELECT size FROM blobs WHERE hash = ? UNION ALL SELECT size FROM files WHERE blob_hash = ? UNION ALL SELECT size FROM live_parts WHERE blob_hash = ? LIMIT 1');
    for (const e of quarantined) {
      if (!referenced.has(e.hash) || fs.existsSync(blobPath(dirs.objects, e.hash))) continue;
      const size = (sizeOf.get(e.hash, e.hash, e.hash) as { size: number } | undefined)?.size ?? e.size;
      if (takeBackFromQuarantine(dirs.objects, dirs.quarantine, e.hash, size)) result.takenBack++;
    }
  });
  if (result.quarantined > 0) log.info('moved stray blobs into quarantine', { quarantined: result.quarantined, bytes: result.bytes });
  if (result.takenBack > 0) log.info('took blobs the catalog names again back from quarantine', { takenBack: result.takenBack });
  return result;
}
