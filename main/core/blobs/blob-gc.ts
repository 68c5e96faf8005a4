import fs from 'node:fs';
import path from 'node:path';
import { injectFault } from '../faults.js';
import type { CatalogDb } from '../catalog/catalog.js';
import type { Logger } from '../logger.js';
import { catalogDamage, referencedByScan } from './blob-removal.js';
import { blobPath, listBlobShards } from './blob-store.js';
import { listQuarantine, moveToQuarantine, takeBackFromQuarantine } from './quarantine.js';
import { othersRegisteredSince } from '../library/process-registry.js';

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

/** A file in the blob store that no catalog row references: its name (a blob's is its hash) and where it is. */
export interface StrayBlob {
  name: string;
  file: string;
}

/**
 * Files of the blob store that no catalog row references: not found through the blobs index,
 * not waiting for removal (a tombstone), and not named by any blob row, file or live part in a
 * full scan of the tables. The scan is the second opinion that keeps a damaged index from
 * calling a photo's only copy a stray (issue #15). Files that are no blob at all (another
 * name, a file put straight into objects/) are strays too: quarantine keeps them, as it keeps
 * every stray.
 */
export function findStrayBlobs(cdb: CatalogDb, objectsDir: string, opts: { procsDir?: string; /** gets the unreferenced blobs left out as in flight */ inFlight?: StrayBlob[] } = {}): StrayBlob[] {
  const db = cdb.db;
  const known = db.prepare('SELECT 1 FROM blobs WHERE hash = ? UNION ALL SELECT 1 FROM blob_deletions WHERE hash = ? LIMIT 1');
  const candidates: StrayBlob[] = [];
  for (const { dir, names } of listBlobShards(objectsDir)) {
    for (const name of names) if (known.get(name, name) === undefined) candidates.push({ name, file: path.join(dir, name) });
  }
  const referenced = referencedByScan(db, new Set(candidates.map((c) => c.name)));
  const strays = candidates.filter((c) => !referenced.has(c.name));
  if (opts.procsDir === undefined) return strays;
  const settled = notInFlight(strays, opts.procsDir);
  opts.inFlight?.push(...strays.filter((s) => !settled.includes(s)));
  return settled;
}

/**
 * [Note: Blobs in flight]
 * Another process places a blob (durable, verified) a moment before the transaction that
 * commits its row: meanwhile it is unreferenced, but not a stray. Quarantining it would lose
 * nothing (the commit checks its blob inside the transaction and takes it back, or stores it
 * again: [Note: Blob present at commit]), but it is needless work and a false "repaired" in
 * `check --repair`. So while other processes are registered on the library, a blob file written
 * since the earliest of them registered, and within IN_FLIGHT_MS, is left where it is: a blob is
 * placed at most one batch before its commit (minutes on the slowest disk), so older ones are
 * strays even beside a `run` that has been up for weeks. A collection that left some marks the
 * library and the next open collects again (STRAYS_PENDING). 2 s of slack for coarse file-system
 * clocks; a blob file's mtime is when it was written (never set from the source).
 */
function notInFlight(strays: StrayBlob[], procsDir: string): StrayBlob[] {
  const registered = othersRegisteredSince(procsDir);
  if (registered === null) return strays;
  const since = Math.max(registered, Date.now() - IN_FLIGHT_MS) - 2000;
  return strays.filter((s) => (fs.statSync(s.file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < since);
}

/** How long a placed blob may wait for its row: far longer than one batch takes. */
const IN_FLIGHT_MS = 3_600_000;

/**
 * Meta key set while a collection left blob files in flight ([Note: Blobs in flight]): the next
 * process to open the library collects again, so that a stray a crash left while another process
 * was on the library is not kept until the next crash.
 */
export const STRAYS_PENDING = 'strays_left_in_flight';

/**
 * Moves blob files that no catalog row references (a crash between placing a blob and
 * committing its row leaves one) into quarantine, and takes quarantined blobs the catalog names
 * again back into the store ([Note: Blob quarantine]). Does nothing while SQLite's integrity
 * check fails. Moves happen inside one catalog write transaction after the strays are confirmed
 * again in it: see [Note: Blob present at commit] in upload-pipeline.ts for why that makes it
 * safe while another process is uploading.
 */
export function collectStrayBlobs(cdb: CatalogDb, dirs: { objects: string; quarantine: string; procs: string }, log: Logger, now: number): StrayCollection {
  const result: StrayCollection = { quarantined: 0, bytes: 0, takenBack: 0, blockedBy: catalogDamage(cdb) };
  if (result.blockedBy !== null) {
    log.warn('catalog failed its integrity check; stray blobs are left where they are', { damage: result.blockedBy });
    return result;
  }
  const inFlight: StrayBlob[] = [];
  const strays = findStrayBlobs(cdb, dirs.objects, { procsDir: dirs.procs, inFlight });
  const quarantined = listQuarantine(dirs.quarantine);
  // Left in flight: the next open of the library collects again (Engine.open), until none is left.
  const pending = cdb.db.prepare(`SELECT value FROM meta WHERE key = '${STRAYS_PENDING}'`).pluck().get() !== undefined;
  if (inFlight.length > 0 !== pending) {
    cdb.write(() => {
      if (inFlight.length > 0) cdb.db.prepare(`INSERT INTO meta (key, value) VALUES ('${STRAYS_PENDING}', '1') ON CONFLICT (key) DO NOTHING`).run();
      else cdb.db.prepare(`DELETE FROM meta WHERE key = '${STRAYS_PENDING}'`).run();
    });
  }
  if (strays.length === 0 && quarantined.length === 0) return result;
  injectFault('gc-move');
  const named = cdb.db.prepare('SELECT 1 FROM blobs WHERE hash = ?');
  cdb.write(() => {
    // Confirmed again under the write lock: an upload may have committed one meanwhile.
    const referenced = referencedByScan(cdb.db, new Set([...strays.map((s) => s.name), ...quarantined.map((e) => e.hash)]));
    for (const s of strays) {
      if (referenced.has(s.name) || named.get(s.name) !== undefined) continue;
      try {
        const size = fs.statSync(s.file).size;
        moveToQuarantine(s.file, dirs.quarantine, now);
        result.quarantined++;
        result.bytes += size;
      } catch (err) {
        log.warn('could not move a stray blob into quarantine', { file: s.file, error: (err as Error).message });
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
