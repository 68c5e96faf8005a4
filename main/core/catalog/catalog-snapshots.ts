import fs from 'node:fs';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite-binding.js';
import { fsyncDir, fsyncFile } from '../atomic-write.js';
import { isErrno } from '../errors.js';
import { DamageFound, isCatalogDamage } from './catalog-damage.js';
import { listDir } from '../list-dir.js';

/**
 * [Note: Catalog snapshots]
 * `<library>/snapshots/` holds verified copies of the catalog, so a damaged catalog can be
 * restored (`shoebox check --recover`, catalog-recovery.ts). Which ones, and why:
 * - **daily** (the last 7): taken by the engine (`run`, serve, the desktop app) once a day. A
 *   week covers damage noticed late (a bad page can sit unread for days) while the newest is at
 *   most a day old: what recovery can't replay (album changes since) is at most a day's.
 * - **migration** (the last 2): before a schema migration, by the connection itself. A migration
 *   rewrites tables; if one goes wrong there is a known-good point, and it is the copy an older
 *   Shoebox can still open.
 * - **before-repair / before-empty-trash** (the last 3 together): before `check --repair` (it
 *   rewrites rows of a catalog known to have problems) and before emptying Trash (it deletes
 *   rows). Taking the copy reads every table, so a catalog whose tables can't be read fails here
 *   and the operation is refused instead of acting on it. Dedup and similar-image apply take no
 *   copy: they only move files to Trash, which restores them into their albums.
 * Each is written with `VACUUM INTO` (one read transaction: a consistent state even while other
 * processes commit, and writers are never blocked in WAL mode) into a temp file, fsynced, checked
 * with `PRAGMA integrity_check`, then renamed into place and its folder fsynced: a snapshot that
 * exists under its final name is complete and was verified. Only verified snapshots count for
 * retention, so a failing copy never pushes a good one out. On a 100k-file catalog (100 MB) the
 * copy takes ~0.9 s and the check ~2.2 s, so the engine does both in a worker thread
 * (snapshot-job.ts); the main thread is never blocked.
 * A remote push takes one more kind, **remote-push**: the same verified copy, written into the
 * process's temp folder instead, encrypted and uploaded, then deleted (never kept, never pruned).
 */

/** Why a snapshot was taken (its retention group follows from this; `remote-push` copies are temporary). */
export type SnapshotKind = 'daily' | 'migration' | 'before-repair' | 'before-empty-trash' | 'remote-push';

/** How many verified snapshots each group keeps. */
export const SNAPSHOT_RETENTION: Record<'daily' | 'migration' | 'before', number> = { daily: 7, migration: 2, before: 3 };

/** A snapshot on disk. */
export interface SnapshotInfo {
  file: string;
  name: string;
  kind: SnapshotKind;
  takenAt: number;
  bytes: number;
}

/** What writing a snapshot did. */
export interface WrittenSnapshot extends SnapshotInfo {
  schemaVersion: number;
  /** Milliseconds for the copy and for the integrity check. */
  copyMs: number;
  checkMs: number;
}

const NAME = /^catalog-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)-(daily|migration|before-repair|before-empty-trash)\.sqlite$/;
const STALE_TEMP_MS = 6 * 3600_000;

/** The file name of a snapshot taken at `at` (UTC, sortable). */
export function snapshotName(at: number, kind: SnapshotKind): string {
  return `catalog-${new Date(at).toISOString().replace(/:/g, '-')}-${kind}.sqlite`;
}

/** The snapshots in a folder, newest first (files that aren't snapshots are ignored). */
export function listSnapshots(dir: string): SnapshotInfo[] {
  const names = listDir(dir);
  const out: SnapshotInfo[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const takenAt = Date.parse(m[1]!.replace(/T(\d\d)-(\d\d)-(\d\d)/, 'T$1:$2:$3'));
    let bytes: number;
    try {
      bytes = fs.statSync(path.join(dir, name)).size;
    } catch (err) {
      if (isErrno(err, 'ENOENT')) continue; // pruned by another process just now
      throw err;
    }
    out.push({ file: path.join(dir, name), name, kind: m[2] as SnapshotKind, takenAt, bytes });
  }
  return out.sort((a, b) => b.takenAt - a.takenAt || b.name.localeCompare(a.name));
}

/**
 * Writes a verified snapshot of the catalog (see [Note: Catalog snapshots]). `source` is the
 * catalog's path (a worker opens its own connection) or an open connection (before a migration).
 * Throws if the catalog can't be read whole (DamageFound, or SQLite's own error) or the copy
 * fails its check; nothing is left behind then.
 */
export function writeSnapshot(source: string | Database.Database, dir: string, kind: SnapshotKind, at: number): WrittenSnapshot {
  fs.mkdirSync(dir, { recursive: true });
  removeStaleTemps(dir);
  const name = snapshotName(at, kind);
  const final = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.tmp-${process.pid}-${threadId}`);
  fs.rmSync(tmp, { force: true });
  try {
    const started = performance.now();
    const db = typeof source === 'string' ? openDatabase(source, { fileMustExist: true, timeout: 15_000 }) : source;
    try {
      db.prepare('VACUUM INTO ?').run(tmp);
    } finally {
      if (typeof source === 'string') db.close();
    }
    fsyncFile(tmp); // VACUUM INTO does not sync its output
    const copied = performance.now();
    const verdict = verifyCatalogFile(tmp);
    if (!verdict.ok) throw new DamageFound(`the copy failed its integrity check: ${verdict.problems.slice(0, 3).join('; ')}`);
    const checked = performance.now();
    fs.renameSync(tmp, final);
    fsyncDir(dir);
    return {
      file: final, name, kind, takenAt: at, bytes: fs.statSync(final).size, schemaVersion: verdict.schemaVersion,
      copyMs: Math.round(copied - started), checkMs: Math.round(checked - copied),
    };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** What `PRAGMA integrity_check` says about a catalog file, opened read-only. */
export function verifyCatalogFile(file: string): { ok: boolean; problems: string[]; schemaVersion: number } {
  let db: Database.Database | undefined;
  let schemaVersion = 0;
  try {
    db = openDatabase(file, { readonly: true, fileMustExist: true });
    schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const lines = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const ok = lines.length === 1 && lines[0] === 'ok';
    if (ok && schemaVersion === 0) return { ok: false, problems: ['it is an empty database, not a Shoebox catalog'], schemaVersion };
    return { ok, problems: ok ? [] : lines, schemaVersion };
  } catch (err) {
    return { ok: false, problems: [(err as Error).message], schemaVersion };
  } finally {
    db?.close();
  }
}

/** Deletes the oldest snapshots beyond each group's retention; returns the names removed. */
export function pruneSnapshots(dir: string, keep = SNAPSHOT_RETENTION): string[] {
  const seen = { daily: 0, migration: 0, before: 0 };
  const removed: string[] = [];
  for (const s of listSnapshots(dir)) {
    const group = s.kind === 'daily' ? 'daily' : s.kind === 'migration' ? 'migration' : 'before';
    if (++seen[group] <= keep[group]) continue;
    fs.rmSync(s.file, { force: true });
    removed.push(s.name);
  }
  if (removed.length > 0) fsyncDir(dir);
  return removed;
}

/**
 * True when the engine should take its daily snapshot: none yet, the newest is a day old, or
 * the newest is dated in the future (the clock was wrong when it was taken, or is now).
 */
export function dailySnapshotDue(snapshots: SnapshotInfo[], now: number): boolean {
  const newest = snapshots.find((s) => s.kind === 'daily');
  if (!newest) return true;
  return newest.takenAt > now + 5 * 60_000 || now - newest.takenAt >= 86_400_000;
}


/** Temp files of snapshot writes whose process is gone (killed mid-write), or that are hours old. */
function removeStaleTemps(dir: string): void {
  const now = Date.now(); // compared with file mtimes, so the real clock (not an injected one)
  for (const name of fs.readdirSync(dir)) {
    const m = /^\.catalog-.*\.tmp-(\d+)-\d+$/.exec(name);
    if (!m) continue;
    const p = path.join(dir, name);
    try {
      if (!processExists(Number(m[1])) || now - fs.statSync(p).mtimeMs > STALE_TEMP_MS) fs.rmSync(p, { force: true });
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
  }
}

function processExists(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return !isErrno(err, 'ESRCH');
  }
}

/** A snapshot to take in a worker thread. */
export interface SnapshotTask {
  catalogPath: string;
  dir: string;
  kind: SnapshotKind;
  at: number;
  /** Also run integrity_check on the live catalog (the daily snapshot does: it finds damaged indexes, which a copy rebuilds and so never sees). */
  checkSource: boolean;
}

/** The outcome of a SnapshotTask, as plain data. */
export type SnapshotTaskResult =
  | { ok: true; snapshot: WrittenSnapshot; pruned: string[]; sourceProblems: string[] }
  | { ok: false; damaged: boolean; code: string; message: string };

/** Writes, verifies and prunes (the worker's entry; never throws). */
export function runSnapshotTask(task: SnapshotTask): SnapshotTaskResult {
  try {
    const snapshot = writeSnapshot(task.catalogPath, task.dir, task.kind, task.at);
    const pruned = task.kind === 'remote-push' ? [] : pruneSnapshots(task.dir);
    const source = task.checkSource ? verifyCatalogFile(task.catalogPath) : { ok: true, problems: [] };
    return { ok: true, snapshot, pruned, sourceProblems: source.ok ? [] : source.problems };
  } catch (err) {
    const raw = (err as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : err instanceof DamageFound ? 'LIBRARY_CORRUPT' : 'UNKNOWN';
    return { ok: false, damaged: err instanceof DamageFound || isCatalogDamage(err), code, message: (err as Error).message };
  }
}
