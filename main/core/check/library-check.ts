import type { CatalogDb } from '../catalog/catalog.js';
import { TimelineCatalog } from '../catalog/timeline-catalog.js';
import { findStrayBlobs, type StrayBlob } from '../blobs/blob-gc.js';
import { blobFileState, blobPath } from '../blobs/blob-store.js';
import { listQuarantine } from '../blobs/quarantine.js';
import { hashFile } from '../upload/ingest-file.js';
import { DamageFound, catalogDamagedError } from '../catalog/catalog-damage.js';

/** One thing wrong with a library, with what it means for a person. */
export interface LibraryProblem {
  kind:
    | 'integrity'
    | 'blob-missing'
    | 'blob-corrupt'
    | 'blob-size'
    | 'blob-link'
    | 'blob-unreadable'
    | 'file-without-blob-row'
    | 'membership-dangling'
    | 'live-file-in-no-album'
    | 'uncategorized-not-orphan'
    | 'trashed-in-album'
    | 'source-dangling'
    | 'duplicate-index'
    | 'timeline-index';
  message: string;
  fileIds?: number[];
  hash?: string;
  /** Why `check --repair` left it (set on what a repair could not fix, where there is more to say than its kind's meaning). */
  why?: string;
}

/** What a check found. */
export interface CheckReport {
  problems: LibraryProblem[];
  blobsChecked: number;
  /** Blob files on disk no catalog row references (moved into quarantine on the next start after a crash, or by --repair). */
  strayBlobs: number;
  /** Unreferenced blob files written since another process on the library started: left alone, it may be committing them ([Note: Blobs in flight]). */
  inFlightBlobs: number;
  /** Blob files in quarantine (removed 30 days after they were moved there). */
  quarantined: number;
  quarantinedBytes: number;
  /** Blobs known damaged (an earlier read found them so) that were hashed again and are whole: their mark is cleared. */
  wholeAgain: string[];
}

/**
 * Verifies the catalog's invariants (DESIGN §1, §8) and its blobs: SQLite integrity; every
 * membership → live file → blob row → blob file of the right size; every live file in at
 * least one album and in Uncategorized exactly when in no other; no trashed file in an album;
 * source records point at files. With readData every blob is re-hashed; without, those an
 * earlier read found damaged are (so what `status` reports is listed here, and --repair acts on it).
 */
export function checkLibrary(cdb: CatalogDb, objectsDir: string, opts: { readData?: boolean; quarantineDir?: string; /** leave out blobs other processes may be committing ([Note: Blobs in flight]) */ procsDir?: string } = {}): CheckReport {
  const db = cdb.db;
  const problems: LibraryProblem[] = [];
  const integrity = cdb.integrityCheck();
  if (!(integrity.length === 1 && integrity[0] === 'ok')) {
    // Nothing else is checked, or repaired, on a damaged catalog: its answers can't be trusted.
    // The caller describes the damage and offers `check --recover` ([Note: A damaged catalog]).
    throw catalogDamagedError(cdb.file, new DamageFound(`its integrity check found ${integrity.length} problem(s), e.g. "${integrity[0]}"`));
  }

  const q = <T>(sql: string) => db.prepare(sql).all() as T[];
  for (const r of q<{ id: number; name: string }>('SELECT f.id, f.name FROM files f LEFT JOIN blobs b ON b.hash = f.blob_hash WHERE b.hash IS NULL')) {
    problems.push({ kind: 'file-without-blob-row', message: `${r.name} (file ${r.id}) refers to bytes the catalog does not list`, fileIds: [r.id] });
  }
  for (const r of q<{ album_id: number; file_id: number }>('SELECT m.album_id, m.file_id FROM memberships m LEFT JOIN files f ON f.id = m.file_id LEFT JOIN albums a ON a.id = m.album_id WHERE f.id IS NULL OR a.id IS NULL')) {
    problems.push({ kind: 'membership-dangling', message: `album ${r.album_id} lists file ${r.file_id}, which does not exist`, fileIds: [r.file_id] });
  }
  for (const r of q<{ id: number; name: string }>('SELECT f.id, f.name FROM files f JOIN memberships m ON m.file_id = f.id WHERE f.trashed_at IS NOT NULL GROUP BY f.id')) {
    problems.push({ kind: 'trashed-in-album', message: `${r.name} (file ${r.id}) is in Trash but still in an album`, fileIds: [r.id] });
  }
  for (const r of q<{ id: number; name: string }>('SELECT f.id, f.name FROM files f WHERE f.trashed_at IS NULL AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.file_id = f.id)')) {
    problems.push({ kind: 'live-file-in-no-album', message: `${r.name} (file ${r.id}) is in no album, not even Uncategorized`, fileIds: [r.id] });
  }
  for (const r of q<{ id: number; name: string }>(
    `SELECT f.id, f.name FROM files f JOIN memberships u ON u.file_id = f.id JOIN albums ua ON ua.id = u.album_id AND ua.kind = 'uncategorized'
     WHERE EXISTS (SELECT 1 FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id = f.id)`,
  )) {
    problems.push({ kind: 'uncategorized-not-orphan', message: `${r.name} (file ${r.id}) is in Uncategorized and also in an album`, fileIds: [r.id] });
  }
  for (const r of q<{ id: number; path: string }>('SELECT s.id, s.path FROM source_records s LEFT JOIN files f ON f.id = s.file_id WHERE f.id IS NULL')) {
    problems.push({ kind: 'source-dangling', message: `the record of ${r.path} points at a file that does not exist` });
  }

  for (const r of q<{ hash: string; recorded: number; actual: number }>(
    `SELECT b.hash, b.live_files AS recorded, (SELECT COUNT(*) FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NULL) AS actual
     FROM blobs b WHERE b.live_files != (SELECT COUNT(*) FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NULL)`,
  )) {
    problems.push({ kind: 'duplicate-index', message: `the duplicate index says ${r.recorded} live copies of ${r.hash.slice(0, 12)}, there are ${r.actual}`, hash: r.hash });
  }

  const days = new TimelineCatalog(cdb).dayIndexErrors();
  if (days.length > 0) {
    const d = days[0]!;
    const more = days.length > 1 ? ` (and ${days.length - 1} other day${days.length > 2 ? 's' : ''})` : '';
    problems.push({ kind: 'timeline-index', message: `the timeline's day index says ${d.recorded} files on ${new Date(d.day * 86_400_000).toISOString().slice(0, 10)}, there are ${d.actual}${more}` });
  }

  const filesOf = db.prepare('SELECT id, name FROM files WHERE blob_hash = ?');
  const affected = (hash: string) => {
    const rows = filesOf.all(hash) as { id: number; name: string }[];
    return { ids: rows.map((r) => r.id), names: rows.map((r) => r.name).join(', ') || '(no file)' };
  };
  let blobsChecked = 0;
  const suspect = new Set(opts.readData ? [] : (db.prepare('SELECT hash FROM blobs WHERE damaged_at IS NOT NULL').all() as { hash: string }[]).map((r) => r.hash));
  const wholeAgain: string[] = [];
  for (const b of db.prepare('SELECT hash, size FROM blobs').iterate() as Iterable<{ hash: string; size: number }>) {
    blobsChecked++;
    const p = blobPath(objectsDir, b.hash);
    // A blob that cannot be read (permissions, a disk error) is reported as such, by file, not
    // as missing or damaged, and never stops the check of the others.
    const unreadable = (err: unknown) => {
      const a = affected(b.hash);
      problems.push({ kind: 'blob-unreadable', message: `the stored bytes of ${a.names} cannot be read: ${p} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, fileIds: a.ids, hash: b.hash });
    };
    let found: ReturnType<typeof blobFileState>;
    try {
      found = blobFileState(p);
    } catch (err) {
      unreadable(err);
      continue;
    }
    if (found.state === 'missing') {
      const a = affected(b.hash);
      problems.push({ kind: 'blob-missing', message: `the stored bytes of ${a.names} are missing`, fileIds: a.ids, hash: b.hash });
      continue;
    }
    if (found.state === 'not-stored') {
      // A link (or anything but a regular file) is not stored bytes, whatever it reads as ([Note: Stored bytes are never a link]).
      const a = affected(b.hash);
      problems.push({ kind: 'blob-link', message: `${found.why.replace(/^the library copy/, `the library copy of ${a.names}`)} (${p})`, fileIds: a.ids, hash: b.hash });
      continue;
    }
    const size = found.size;
    if (size !== b.size) {
      const a = affected(b.hash);
      problems.push({ kind: 'blob-size', message: `the stored bytes of ${a.names} have the wrong size (${size}, expected ${b.size})`, fileIds: a.ids, hash: b.hash });
    } else if (opts.readData || suspect.has(b.hash)) {
      let actual: string;
      try {
        actual = hashFile(p);
      } catch (err) {
        unreadable(err);
        continue;
      }
      if (actual !== b.hash) {
        const a = affected(b.hash);
        problems.push({ kind: 'blob-corrupt', message: `the stored bytes of ${a.names} are damaged (hash mismatch)`, fileIds: a.ids, hash: b.hash });
      } else if (suspect.has(b.hash)) wholeAgain.push(b.hash);
    }
  }
  const quarantine = opts.quarantineDir ? listQuarantine(opts.quarantineDir) : [];
  const inFlight: StrayBlob[] = [];
  const strayBlobs = findStrayBlobs(cdb, objectsDir, opts.procsDir === undefined ? {} : { procsDir: opts.procsDir, inFlight }).length;
  return { problems, blobsChecked, strayBlobs, inFlightBlobs: inFlight.length, quarantined: quarantine.length, quarantinedBytes: quarantine.reduce((n, e) => n + e.size, 0), wholeAgain };
}
