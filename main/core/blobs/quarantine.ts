import fs from 'node:fs';
import path from 'node:path';
import type { CatalogDb } from '../catalog/catalog.js';
import { isErrno } from '../errors.js';
import type { Logger } from '../logger.js';
import { trustedTrashDates } from '../trash/trash-dates.js';
import { catalogDamage, referencedByScan } from './blob-removal.js';
import { blobPath } from './blob-store.js';
import { fsyncDir } from '../atomic-write.js';
import { listDir } from '../list-dir.js';

/**
 * [Note: Blob quarantine]
 * A blob file that no catalog row references looks like a leftover of a crash (placed, never
 * committed), but it may just as well be a photo's only copy whose row a damaged index hides.
 * So a stray blob is never deleted: it is moved to `<library>/quarantine/<hash>` (its mtime set
 * to the move time), and only entries quarantined more than QUARANTINE_DAYS ago are removed,
 * after SQLite's integrity check passes and a full table scan confirms nothing names them. An
 * upload of the same bytes, or a row that reappears (a restored catalog), takes the file back
 * instead of copying it again. Moves in and out happen inside a catalog write transaction, like
 * every blob removal ([Note: Blob tombstones]).
 */

/** How long a stray blob stays in quarantine before it may be removed. */
export const QUARANTINE_DAYS = 30;

/** A quarantined blob file. */
export interface QuarantineEntry {
  name: string;
  /** The content hash (the name without a `.N` suffix added when the same hash was quarantined twice). */
  hash: string;
  size: number;
  quarantinedAt: number;
}

/** Quarantined blob files (none when the folder does not exist). */
export function listQuarantine(quarantineDir: string): QuarantineEntry[] {
  return listDir(quarantineDir).map((name) => {
    const st = fs.statSync(path.join(quarantineDir, name));
    return { name, hash: name.split('.')[0]!, size: st.size, quarantinedAt: st.mtimeMs };
  });
}

const sizeCache = new Map<string, { mtimeMs: number; sizes: Set<number> }>();

/**
 * True if a quarantined blob has this size (so an upload hashes first and takes it back rather
 * than copying). One stat of the folder per call; the listing is re-read only when it changed.
 */
export function hasQuarantinedOfSize(quarantineDir: string, size: number): boolean {
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(quarantineDir).mtimeMs;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
  let cached = sizeCache.get(quarantineDir);
  if (cached?.mtimeMs !== mtimeMs) {
    cached = { mtimeMs, sizes: new Set(listQuarantine(quarantineDir).map((e) => e.size)) };
    sizeCache.set(quarantineDir, cached);
  }
  return cached.sizes.has(size);
}

/**
 * Moves a file of the blob store into quarantine under its name (a blob's is its hash); call
 * inside a catalog write transaction.
 */
export function moveToQuarantine(file: string, quarantineDir: string, now: number): void {
  const name = path.basename(file);
  fs.mkdirSync(quarantineDir, { recursive: true });
  let dest = path.join(quarantineDir, name);
  for (let n = 2; fs.existsSync(dest); n++) dest = path.join(quarantineDir, `${name}.${n}`);
  fs.renameSync(file, dest);
  fs.utimesSync(dest, now / 1000, now / 1000);
  fsyncDir(quarantineDir);
}

/**
 * Puts a quarantined copy of this blob back into the store when its size is right and the store
 * lacks it; true if the blob is in place afterwards. Call inside a catalog write transaction.
 */
export function takeBackFromQuarantine(objectsDir: string, quarantineDir: string, hash: string, size: number): boolean {
  const final = blobPath(objectsDir, hash);
  if (fs.existsSync(final)) return true;
  // `<hash>`, then `<hash>.2`, `<hash>.3`… (the same bytes quarantined more than once)
  for (let n = 1; ; n++) {
    const entry = path.join(quarantineDir, n === 1 ? hash : `${hash}.${n}`);
    let st: fs.Stats;
    try {
      st = fs.statSync(entry);
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false;
      throw err;
    }
    if (st.size !== size) continue;
    fs.mkdirSync(path.dirname(final), { recursive: true });
    fs.renameSync(entry, final);
    fsyncDir(path.dirname(final));
    return true;
  }
}

/** What emptying the quarantine did. */
export interface QuarantineSweep {
  removed: number;
  bytes: number;
  /** Entries whose hash the catalog names again: put back into the store (or kept). */
  takenBack: number;
  /** Set when nothing was removed because the catalog failed its integrity check. */
  blockedBy: string | null;
}

/**
 * Removes quarantined blobs older than QUARANTINE_DAYS that nothing references (checked through
 * the indexes and by full scans, under the write lock); takes back those referenced again. A
 * quarantine date the clock got wrong is re-stamped to now ([Note: Trusted Trash dates]).
 */
export function emptyQuarantine(cdb: CatalogDb, dirs: { objects: string; quarantine: string }, log: Logger, now: number): QuarantineSweep {
  const sweep: QuarantineSweep = { removed: 0, bytes: 0, takenBack: 0, blockedBy: null };
  const entries = listQuarantine(dirs.quarantine);
  if (entries.length === 0) return sweep;
  const trusted = trustedTrashDates(now, Number(cdb.meta('created_at')) || undefined);
  if (trusted === null) return sweep; // the clock reads an impossible time: no date can be trusted
  const expired: QuarantineEntry[] = [];
  for (const e of entries) {
    if (e.quarantinedAt < trusted.floor || e.quarantinedAt > now) fs.utimesSync(path.join(dirs.quarantine, e.name), now / 1000, now / 1000);
    else if (e.quarantinedAt <= now - QUARANTINE_DAYS * 86_400_000) expired.push(e);
  }
  if (expired.length === 0) return sweep;
  sweep.blockedBy = catalogDamage(cdb);
  if (sweep.blockedBy !== null) {
    log.warn('catalog failed its integrity check; the quarantine is left alone', { damage: sweep.blockedBy });
    return sweep;
  }
  const known = cdb.db.prepare('SELECT 1 FROM blobs WHERE hash = ? UNION ALL SELECT 1 FROM files WHERE blob_hash = ? LIMIT 1');
  cdb.write(() => {
    const scanned = referencedByScan(cdb.db, new Set(expired.map((e) => e.hash)));
    for (const e of expired) {
      if (scanned.has(e.hash) || known.get(e.hash, e.hash) !== undefined) {
        // Named by the catalog again: never removed; back into the store if the store lacks it.
        if (!fs.existsSync(blobPath(dirs.objects, e.hash)) && takeBackFromQuarantine(dirs.objects, dirs.quarantine, e.hash, e.size)) sweep.takenBack++;
        continue;
      }
      fs.rmSync(path.join(dirs.quarantine, e.name));
      sweep.removed++;
      sweep.bytes += e.size;
    }
  });
  if (sweep.removed > 0) log.info('removed blobs quarantined more than 30 days ago', { removed: sweep.removed, bytes: sweep.bytes });
  return sweep;
}
