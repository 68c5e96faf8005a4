import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir, fsyncFile } from '../atomic-write.js';
import { ShoeboxError, isErrno, libraryWriteError } from '../errors.js';
import { checkLibraryLocation, type LibraryPaths } from '../library/library-location.js';
import { acquireRunLock, otherLiveProcesses } from '../library/process-registry.js';
import { ActivityLog } from './activity-log.js';
import { CatalogDb } from './catalog.js';
import { hasStoredBlobs } from './catalog-damage.js';
import { fitHeaderToFile, salvageCatalog, type Salvage } from './catalog-salvage.js';
import { listSnapshots, verifyCatalogFile, type SnapshotKind } from './catalog-snapshots.js';
import { CURRENT_SCHEMA_VERSION } from './migrations.js';
import { recountTimelineDays } from './timeline-catalog.js';
import { replayIntoCatalog, type ReplayReport } from './recovery-replay.js';

/**
 * [Note: Catalog recovery]
 * `shoebox check --recover` replaces a damaged catalog with the best one that can be built, and
 * loses no bytes on the way:
 * 1. It works alone: it holds the run lock and refuses while another process has the library
 *    open; recovery/state.json makes every other command refuse until it is done.
 * 2. It reads what it can from a *copy* of the damaged catalog, row by row (catalog-salvage.ts).
 * 3. The base is, in order: a catalog rebuilt from the damaged one's own tables, when every
 *    table row can be read (only indexes were damaged: nothing lost); else the newest snapshot
 *    that passes integrity_check; else an empty catalog.
 * 4. The base is brought in line with objects/ (recovery-replay.ts): every blob it doesn't know
 *    becomes a file in Uncategorized, named from the damaged catalog where it can be read.
 * 5. The new catalog is checked and fsynced, state.json says "ready", then the damaged catalog
 *    and its -wal/-shm are *moved* to damaged/catalog-<time>.sqlite* (never deleted) and the new
 *    one renamed into place. A crash anywhere leaves state.json behind; running it again
 *    rebuilds, or finishes the moves when the new catalog was ready.
 * objects/ is only ever read.
 */

/** What `check --recover` did, for the report. */
export interface RecoveryReport {
  /** False when there was nothing to recover (see `nothingToDo`): nothing was changed. */
  recovered: boolean;
  /** Why nothing was done, when recovered is false. */
  nothingToDo?: string;
  /** Where the damaged catalog (and its -wal/-shm) now are. */
  damagedKeptAs: string[];
  base: { kind: 'rebuilt' } | { kind: 'snapshot'; name: string; takenAt: number; snapshotKind: SnapshotKind } | { kind: 'empty' };
  /** Snapshots that were newer than the one used but failed their check. */
  skippedSnapshots: Array<{ name: string; reason: string }>;
  salvage: { readable: boolean; reason: string | null; rowsRead: number; rowsLost: number; tablesLost: string[] };
  replay: ReplayReport | null;
}

interface State {
  state: 'building' | 'ready';
  stamp: string;
  report?: RecoveryReport;
}

/** Rebuilds a damaged catalog (see [Note: Catalog recovery]). */
export async function recoverCatalog(paths: LibraryPaths, now: () => number = Date.now): Promise<RecoveryReport> {
  checkLibraryLocation(paths.root);
  if (!fs.existsSync(paths.root)) throw new ShoeboxError('NOT_FOUND', `There is no Shoebox library at ${paths.root}. Point --library at the library folder (the one holding catalog.sqlite and objects/).`);
  let release: () => void;
  try {
    release = acquireRunLock(paths.runLock);
  } catch (err) {
    throw libraryWriteError(err, paths.root);
  }
  try {
    const prior = readState(paths);
    if (prior?.state === 'ready' && prior.report) {
      if (fs.existsSync(workCatalog(paths))) install(paths, prior.stamp);
      else fs.rmSync(paths.recovery, { recursive: true, force: true }); // it was installed; only the clean-up was cut short
      return prior.report;
    }
    const healthy = prior ? null : nothingToRecover(paths);
    if (healthy) {
      return { recovered: false, nothingToDo: healthy, damagedKeptAs: [], base: { kind: 'rebuilt' }, skippedSnapshots: [], salvage: { readable: true, reason: null, rowsRead: 0, rowsLost: 0, tablesLost: [] }, replay: null };
    }
    const stamp = new Date(now()).toISOString().replace(/:/g, '-');
    fs.rmSync(paths.recovery, { recursive: true, force: true }); // our own work files from an interrupted run
    fs.mkdirSync(paths.recovery, { recursive: true });
    writeState(paths, { state: 'building', stamp });
    const others = otherLiveProcesses(paths.procs);
    if (others.length > 0) {
      if (!prior) fs.rmSync(paths.recovery, { recursive: true, force: true });
      throw new ShoeboxError('LIBRARY_LOCKED', `Process ${others.join(', ')} has the library ${paths.root} open. Close it (or wait for it to finish) and run \`shoebox check --recover\` again.`);
    }
    const report = await build(paths, now);
    report.damagedKeptAs = damagedNames(paths, stamp).filter(([src]) => fs.existsSync(src)).map(([, dst]) => dst);
    writeState(paths, { state: 'ready', stamp, report });
    install(paths, stamp);
    return report;
  } finally {
    release();
  }
}

/** Builds the new catalog in recovery/ (steps 2–4 of [Note: Catalog recovery]). */
async function build(paths: LibraryPaths, now: () => number): Promise<RecoveryReport> {
  const copy = path.join(paths.recovery, 'damaged-copy.sqlite');
  let salvage = emptySalvage('the catalog file is missing');
  if (fs.existsSync(paths.catalog)) {
    fs.copyFileSync(paths.catalog, copy);
    if (fs.existsSync(`${paths.catalog}-wal`)) fs.copyFileSync(`${paths.catalog}-wal`, `${copy}-wal`);
    salvage = salvageCatalog(copy); // opening applies the WAL to the copy, which the rebuild then reads too
    if (salvage.unreadable !== null) {
      // A damaged WAL, or a file cut short, can keep SQLite from opening it at all: read a second
      // copy of the main file alone, cut to whole pages (the first copy stays as it was).
      const bare = path.join(paths.recovery, 'damaged-copy-bare.sqlite');
      fs.copyFileSync(paths.catalog, bare);
      if (fitHeaderToFile(bare)) salvage = salvageCatalog(bare);
    }
  }
  const report: RecoveryReport = {
    recovered: true, damagedKeptAs: [], base: { kind: 'empty' }, skippedSnapshots: [], replay: null,
    salvage: { readable: salvage.unreadable === null && salvage.rowsRead > 0, reason: salvage.unreadable, rowsRead: salvage.rowsRead, rowsLost: salvage.rowsLost, tablesLost: salvage.tablesLost },
  };
  const target = workCatalog(paths);
  report.base = chooseBase(paths, copy, target, report.skippedSnapshots, now);
  const cdb = CatalogDb.open(target, { now }); // migrates an older snapshot; creates an empty catalog
  try {
    const uncategorized = (cdb.db.prepare(`SELECT id FROM albums WHERE kind = 'uncategorized'`).get() as { id: number }).id;
    report.replay = await replayIntoCatalog(cdb, paths.objects, salvage, uncategorized);
    const r = report.replay;
    cdb.write(() => new ActivityLog(cdb, now).record('info', 'CATALOG_RECOVERED', `The catalog was recovered (${describeBase(report.base)}); ${r.replayed} stored file(s) it did not know were put in Uncategorized.`));
    const problems = cdb.integrityCheck();
    if (!(problems.length === 1 && problems[0] === 'ok')) throw new ShoeboxError('INTERNAL', `The recovered catalog failed its integrity check (${problems[0]}); nothing was changed.`);
    cdb.db.pragma('journal_mode = DELETE'); // one self-contained file to install (the next open turns WAL back on)
  } finally {
    cdb.close();
  }
  fsyncFile(target);
  return report;
}

/** Picks and writes the base catalog to `target` (step 3 of [Note: Catalog recovery]). */
function chooseBase(paths: LibraryPaths, copy: string, target: string, skipped: RecoveryReport['skippedSnapshots'], now: () => number): RecoveryReport['base'] {
  if (fs.existsSync(copy) && fs.statSync(copy).size > 0 && verifyCatalogFile(copy).schemaVersion === CURRENT_SCHEMA_VERSION && rebuildFromTables(copy, target, now)) {
    return { kind: 'rebuilt' };
  }
  for (const s of listSnapshots(paths.snapshots)) {
    fs.copyFileSync(s.file, target); // the copy is what gets checked and installed; the snapshot stays
    const v = verifyCatalogFile(target);
    if (v.ok && v.schemaVersion <= CURRENT_SCHEMA_VERSION) return { kind: 'snapshot', name: s.name, takenAt: s.takenAt, snapshotKind: s.kind };
    skipped.push({ name: s.name, reason: v.ok ? `written by a newer Shoebox (schema ${v.schemaVersion})` : `damaged too: ${v.problems[0] ?? 'unreadable'}` });
    fs.rmSync(target, { force: true });
  }
  return { kind: 'empty' };
}

/**
 * Builds a new catalog from the damaged one's tables, read without their indexes: when only
 * index pages are damaged (about half the file), nothing is lost. Fails (false) if any table
 * row can't be read or the result isn't consistent; the caller then falls back to a snapshot.
 */
function rebuildFromTables(copy: string, target: string, now: () => number): boolean {
  fs.rmSync(target, { force: true });
  const cdb = CatalogDb.open(target, { now });
  const db = cdb.db;
  let ok = false;
  try {
    db.pragma('foreign_keys = OFF');
    db.pragma('cell_size_check = ON');
    db.prepare('ATTACH DATABASE ? AS damaged').run(copy);
    try {
      const tables = (db.prepare(`SELECT name FROM damaged.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((t) => t.name);
      db.transaction(() => {
        for (const t of tables) {
          db.prepare(`DELETE FROM main."${t}"`).run(); // the rows a new catalog is seeded with
          db.prepare(`INSERT INTO main."${t}" SELECT * FROM damaged."${t}" NOT INDEXED`).run();
        }
        // The insert triggers counted each file again: count from scratch (see [Note: Duplicate index]).
        db.prepare('UPDATE blobs SET live_files = (SELECT COUNT(*) FROM files f WHERE f.blob_hash = blobs.hash AND f.trashed_at IS NULL)').run();
        recountTimelineDays(db); // the same for the timeline's ([Note: Timeline day index])
      })();
    } finally {
      db.prepare('DETACH DATABASE damaged').run();
    }
    db.pragma('foreign_keys = ON');
    const integrity = cdb.integrityCheck();
    ok = integrity.length === 1 && integrity[0] === 'ok' && (db.pragma('foreign_key_check') as unknown[]).length === 0;
  } catch (err) {
    if (!isSqlite(err)) throw err;
  } finally {
    cdb.close();
  }
  if (!ok) fs.rmSync(target, { force: true });
  return ok;
}

/** Step 5: moves the damaged files aside, then puts the new catalog in place. Idempotent. */
function install(paths: LibraryPaths, stamp: string): void {
  fs.mkdirSync(paths.damaged, { recursive: true });
  // -wal and -shm first: a WAL left beside a catalog it doesn't belong to would be replayed into it.
  for (const [src, dst] of damagedNames(paths, stamp)) {
    if (!fs.existsSync(src)) continue;
    if (fs.existsSync(dst)) throw new ShoeboxError('CONFLICT', `Both ${src} and ${dst} exist; move one of them away and run \`shoebox check --recover\` again.`);
    fs.renameSync(src, dst);
  }
  fsyncDir(paths.damaged);
  fs.renameSync(workCatalog(paths), paths.catalog);
  fsyncDir(paths.root);
  fs.rmSync(paths.recovery, { recursive: true, force: true });
}

function damagedNames(paths: LibraryPaths, stamp: string): Array<[string, string]> {
  const base = path.join(paths.damaged, `catalog-${stamp}.sqlite`);
  return ['-wal', '-shm', ''].map((suffix) => [`${paths.catalog}${suffix}`, `${base}${suffix}`]);
}

function workCatalog(paths: LibraryPaths): string {
  return path.join(paths.recovery, 'catalog.sqlite');
}

/** Why there is nothing to recover (the catalog passes integrity_check, or the library holds no photos yet), else null. */
function nothingToRecover(paths: LibraryPaths): string | null {
  const size = fs.existsSync(paths.catalog) ? fs.statSync(paths.catalog).size : -1;
  if (size <= 0) return hasStoredBlobs(paths.objects) ? null : 'the library holds no photos yet';
  return verifyCatalogFile(paths.catalog).ok ? 'the catalog passed its integrity check' : null;
}

function readState(paths: LibraryPaths): State | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(paths.recovery, 'state.json'), 'utf8')) as State;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return undefined;
    if (err instanceof SyntaxError) return { state: 'building', stamp: '' }; // cut short while written: rebuild
    throw err;
  }
}

function writeState(paths: LibraryPaths, s: State): void {
  const file = path.join(paths.recovery, 'state.json');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(s));
  fsyncFile(`${file}.tmp`);
  fs.renameSync(`${file}.tmp`, file);
  fsyncDir(paths.recovery);
}

function emptySalvage(reason: string): Salvage {
  return { unreadable: reason, files: [], sourceNames: new Map(), livePartNames: new Map(), albums: [], watches: [], rowsRead: 0, rowsLost: 0, tablesLost: [] };
}

/** The base in words. */
export function describeBase(base: RecoveryReport['base']): string {
  if (base.kind === 'rebuilt') return 'rebuilt from the damaged catalog\'s own tables: only indexes were damaged, nothing is lost';
  if (base.kind === 'snapshot') return `restored from the ${base.snapshotKind} snapshot of ${new Date(base.takenAt).toISOString()}`;
  return 'no usable snapshot: rebuilt from the stored files';
}

function isSqlite(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}
