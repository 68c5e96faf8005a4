import fs from 'node:fs';
import path from 'node:path';
import { ShoeboxError, isErrno } from '../errors.js';

/**
 * [Note: Processes sharing a library]
 * Several processes may open one library (a `run` and a manual `upload`, say). Each registers
 * itself as `procs/<pid>` and writes its temporary files under `tmp/<pid>/`. On open, entries
 * of processes that are no longer alive are removed along with their temp folders: that is how
 * temp files of a killed process are collected. Stray *blobs* are collected separately under
 * the catalog's write lock (see blob-gc.ts), so a live process's rename-then-commit is never raced.
 */

/** True if a process with this pid exists (signal 0 probes without sending anything). */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}

/** Registers this process in the library; returns its private temp folder. */
export function registerProcess(procsDir: string, tmpRoot: string, pid = process.pid): string {
  fs.mkdirSync(procsDir, { recursive: true });
  fs.writeFileSync(path.join(procsDir, String(pid)), `${new Date().toISOString()}\n`);
  const tmp = path.join(tmpRoot, String(pid));
  fs.rmSync(tmp, { recursive: true, force: true }); // a reused pid's leftovers
  fs.mkdirSync(tmp, { recursive: true });
  return tmp;
}

/** Removes this process's registration and temp folder (on clean close). */
export function unregisterProcess(procsDir: string, tmpRoot: string, pid = process.pid): void {
  fs.rmSync(path.join(tmpRoot, String(pid)), { recursive: true, force: true });
  fs.rmSync(path.join(procsDir, String(pid)), { force: true });
}

/**
 * Removes registrations and temp folders of dead processes. `deadProcesses` > 0 means some
 * process did not close cleanly, so stray blobs may exist.
 */
export function collectDeadProcesses(procsDir: string, tmpRoot: string): { deadProcesses: number; tempEntries: number } {
  let removed = 0;
  let dead = 0;
  const registered = new Set<string>();
  for (const name of safeReaddir(procsDir)) {
    registered.add(name);
    const pid = Number(name);
    if (!Number.isInteger(pid) || !isProcessAlive(pid)) {
      fs.rmSync(path.join(procsDir, name), { force: true });
      registered.delete(name);
      dead++;
    }
  }
  for (const name of safeReaddir(tmpRoot)) {
    if (registered.has(name)) continue;
    removed += safeReaddir(path.join(tmpRoot, name)).length || 1;
    fs.rmSync(path.join(tmpRoot, name), { recursive: true, force: true });
  }
  return { deadProcesses: dead, tempEntries: removed };
}

/** Pids of other live processes that have this library open. */
export function otherLiveProcesses(procsDir: string): number[] {
  return safeReaddir(procsDir).map(Number).filter((pid) => Number.isInteger(pid) && pid !== process.pid && isProcessAlive(pid));
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}

/**
 * Takes the exclusive "engine running" lock (one `shoebox run` or desktop app per library).
 * A lock left by a dead process is taken over. Returns a release function.
 */
export function acquireRunLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.rmSync(lockPath, { force: true });
        } catch (err) {
          if (!isErrno(err, 'ENOENT')) throw err;
        }
      };
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
      const holder = Number(readOr(lockPath, '').trim());
      if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) {
        throw new ShoeboxError(
          'LIBRARY_LOCKED',
          `Another Shoebox engine (process ${holder}) is already running on this library (${path.dirname(lockPath)}). ` +
            'Stop it first (or use that one); two engines on one library would fight over the same folders.',
        );
      }
      // Stale: the holder is gone. Remove and retry; O_EXCL keeps two racers from both winning.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new ShoeboxError('LIBRARY_LOCKED', `Could not take the engine lock ${lockPath}; try again.`);
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return fallback; // vanished between EEXIST and read: treated as stale
    throw err;
  }
}
