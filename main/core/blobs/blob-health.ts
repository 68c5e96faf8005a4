import type Database from 'better-sqlite3';
import type { CatalogDb } from '../catalog/catalog.js';
import type { Logger } from '../logger.js';
import { blobFileState, blobPath } from './blob-store.js';

/**
 * [Note: Blob health marks]
 * `status` must say when photos have lost their stored bytes, but must not stat 100k blob files
 * on every call (the window asks every half second). So the catalog remembers what readers
 * found: `blobs.missing_at` (the file was gone) and `blobs.damaged_at` (wrong size, or bytes
 * that do not hash to their name). Every reader records what it finds: an upload's commit (the
 * stat it takes anyway), `cat`/open, export and restore (they verify the hash), previews (they
 * read the whole blob and verify it), remote push (verifies while encrypting) and `check` (sets
 * and clears the marks of every blob). Status then counts the live files behind marked blobs
 * through a partial index (cost: the number of marked blobs, not of all blobs), and probes a
 * few blobs itself (PROBE_SIZE, at most every PROBE_INTERVAL_MS): one whose file disagrees with
 * its mark (objects/ unmounted or deleted, a shard gone) starts one sweep that stats every blob
 * and brings every mark up to date (~0.7 s of CPU per 100k blobs, measured on our 2-core VM;
 * paid once per change, not per call; the count itself is cached: 7 ms per call with 95k
 * blobs marked, nothing when none are).
 * Re-uploading the content, or `check --repair` from the original, writes the bytes again and
 * clears the mark; a damaged file is moved aside into `damaged/`, never deleted.
 */

/** What is known about a blob's bytes. */
export type BlobState = 'ok' | 'missing' | 'damaged';

/** Blobs looked at per probe. */
export const PROBE_SIZE = 16;
/** At most one probe per this long, per process. */
export const PROBE_INTERVAL_MS = 10_000;

/** Records what a reader found; call inside a catalog write transaction. 'ok' clears the missing mark (and the damaged one only when `verified`). */
export function setBlobState(db: Database.Database, hash: string, state: BlobState, now: number, verified = false): void {
  if (state === 'missing') db.prepare('UPDATE blobs SET missing_at = COALESCE(missing_at, ?) WHERE hash = ?').run(now, hash);
  else if (state === 'damaged') db.prepare('UPDATE blobs SET damaged_at = COALESCE(damaged_at, ?), missing_at = NULL WHERE hash = ?').run(now, hash);
  else if (verified) db.prepare('UPDATE blobs SET missing_at = NULL, damaged_at = NULL WHERE hash = ? AND (missing_at IS NOT NULL OR damaged_at IS NOT NULL)').run(hash);
  else db.prepare('UPDATE blobs SET missing_at = NULL WHERE hash = ? AND missing_at IS NOT NULL').run(hash);
}

/** Records what a reader found, in its own write transaction. */
export function recordBlobState(cdb: CatalogDb, hash: string, state: BlobState, now: number, verified = false): void {
  cdb.write(() => setBlobState(cdb.db, hash, state, now, verified));
}

/**
 * What a reader that read a whole blob found: gone, not hashing to its name, or verified. A
 * verified read clears old marks; the write happens only when there is something to change, so
 * a clean export of 100k files writes nothing.
 */
export function noteBlobRead(cdb: CatalogDb, hash: string, found: 'missing' | 'damaged' | 'verified', now: number): void {
  if (found === 'verified') {
    if (cdb.db.prepare('SELECT 1 FROM blobs WHERE hash = ? AND (missing_at IS NOT NULL OR damaged_at IS NOT NULL)').get(hash) === undefined) return;
    recordBlobState(cdb, hash, 'ok', now, true);
  } else {
    recordBlobState(cdb, hash, found, now);
  }
}

/**
 * What one lstat says about a blob file: missing, damaged (the wrong size, or not stored bytes
 * at all: a symlink, [Note: Stored bytes are never a link]), or present.
 */
export function statBlob(objectsDir: string, hash: string, size: number): BlobState {
  const found = blobFileState(blobPath(objectsDir, hash));
  if (found.state === 'missing') return 'missing';
  return found.state === 'file' && found.size === size ? 'ok' : 'damaged';
}

/** True if the catalog knows this blob's bytes to be damaged. */
export function isMarkedDamaged(db: Database.Database, hash: string): boolean {
  return db.prepare('SELECT 1 FROM blobs WHERE hash = ? AND damaged_at IS NOT NULL').get(hash) !== undefined;
}

/**
 * Live files (Trash excluded) whose stored bytes, or whose live-photo video's, are known missing
 * or damaged. The count joins every marked blob to its files (~0.1 s when 100k are marked), so
 * it is redone only when the marks or the file totals changed; telling costs one scan of the
 * covering partial index (no table rows), and nothing at all while the catalog has not changed
 * (`stamp`: CatalogDb.changeStamp()).
 */
export class BadBytesCount {
  private key = '';
  private stamp = '';
  private last = { missingBytes: 0, damagedBytes: 0 };

  /** The counts; `files`/`trashed` are the library's totals (a file trashed or restored changes them). */
  get(db: Database.Database, files: number, trashed: number, stamp: string): { missingBytes: number; damagedBytes: number } {
    if (stamp === this.stamp) return this.last;
    const m = db.prepare('SELECT COUNT(*) AS n, MAX(missing_at) AS a, MAX(damaged_at) AS b FROM blobs WHERE missing_at IS NOT NULL OR damaged_at IS NOT NULL').get() as { n: number; a: number | null; b: number | null };
    const key = `${m.n}:${m.a}:${m.b}:${files}:${trashed}`;
    if (key !== this.key) {
      this.last = m.n === 0 ? { missingBytes: 0, damagedBytes: 0 } : filesWithBadBytes(db);
      this.key = key;
    }
    this.stamp = stamp;
    return this.last;
  }
}

/** Live files (Trash excluded) whose stored bytes, or whose live-photo video's, are known missing or damaged. */
export function filesWithBadBytes(db: Database.Database): { missingBytes: number; damagedBytes: number } {
  const row = db
    .prepare(
      `WITH bad AS (SELECT hash, missing_at IS NOT NULL AS missing FROM blobs WHERE missing_at IS NOT NULL OR damaged_at IS NOT NULL),
            hit AS (SELECT f.id, MAX(bad.missing) AS missing FROM bad JOIN files f ON f.blob_hash = bad.hash AND f.trashed_at IS NULL GROUP BY f.id
                    UNION ALL
                    SELECT f.id, MAX(bad.missing) FROM bad JOIN live_parts l ON l.blob_hash = bad.hash JOIN files f ON f.id = l.file_id AND f.trashed_at IS NULL GROUP BY f.id)
       SELECT COUNT(DISTINCT CASE WHEN missing THEN id END) AS missingBytes, COUNT(DISTINCT CASE WHEN NOT missing THEN id END) AS damagedBytes FROM hit`,
    )
    .get() as { missingBytes: number; damagedBytes: number };
  return row;
}

/** Keeps the health marks honest without statting every blob on every status call. */
export class BlobProbe {
  private lastProbe = -Infinity;

  constructor(private readonly cdb: CatalogDb, private readonly objectsDir: string, private readonly log: Logger, private readonly now: () => number) {}

  /** Looks at a few blobs (rate-limited); sweeps every blob when one disagrees with its mark. Returns true if it swept. */
  probe(): boolean {
    const now = this.now();
    if (now - this.lastProbe < PROBE_INTERVAL_MS && now >= this.lastProbe) return false;
    this.lastProbe = now;
    const db = this.cdb.db;
    const max = (db.prepare('SELECT MAX(rowid) AS m FROM blobs').get() as { m: number | null }).m;
    if (max === null) return false;
    const start = Math.floor(Math.random() * max);
    // A window of rowids from a random start, wrapping around (a small library is looked at
    // whole); bounded, so a library whose blobs are all marked is not scanned to the end.
    const window = db.prepare('SELECT hash, size, missing_at AS missingAt FROM blobs WHERE rowid BETWEEN ? AND ? AND missing_at IS NULL ORDER BY rowid LIMIT ?');
    const first = window.all(start, start + 64 * PROBE_SIZE, PROBE_SIZE) as Row[];
    const sample = [
      ...first,
      ...(first.length < PROBE_SIZE ? (window.all(0, Math.min(start - 1, 64 * PROBE_SIZE), PROBE_SIZE - first.length) as Row[]) : []),
      ...(db.prepare('SELECT hash, size, missing_at AS missingAt FROM blobs WHERE missing_at IS NOT NULL OR damaged_at IS NOT NULL LIMIT 4').all() as Row[]),
    ];
    const disagrees = sample.some((b) => (statBlob(this.objectsDir, b.hash, b.size) === 'missing') !== (b.missingAt !== null));
    if (disagrees) this.sweep();
    return disagrees;
  }

  /** Stats every blob and updates the marks (missing, wrong size; present again clears "missing"). */
  sweep(): { missing: number; wrongSize: number; back: number } {
    const db = this.cdb.db;
    const changes: Array<{ hash: string; state: BlobState }> = [];
    for (const b of db.prepare('SELECT hash, size, missing_at AS missingAt FROM blobs').iterate() as Iterable<Row>) {
      const state = statBlob(this.objectsDir, b.hash, b.size);
      if (state === 'missing' ? b.missingAt === null : state === 'damaged' || b.missingAt !== null) changes.push({ hash: b.hash, state });
    }
    const now = this.now();
    this.cdb.write(() => {
      for (const c of changes) setBlobState(db, c.hash, c.state, now);
    });
    const counts = { missing: 0, wrongSize: 0, back: 0 };
    for (const c of changes) counts[c.state === 'missing' ? 'missing' : c.state === 'damaged' ? 'wrongSize' : 'back']++;
    if (changes.length > 0) this.log.warn('stored bytes changed on disk', counts);
    return counts;
  }
}

interface Row {
  hash: string;
  size: number;
  missingAt: number | null;
}
