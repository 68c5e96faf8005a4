import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ShoeboxError, isErrno } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { isLockHeld, removeFile, tryLock, type HeldLock } from './os-lock.js';
import { listDir } from '../list-dir.js';

/**
 * [Note: Processes sharing a library]
 * Several processes may open one library (a `run` and a manual `upload`, say). Each registers
 * itself as `procs/<pid>-<random>.lock`, a lock database it holds for as long as it lives
 * ([Note: Locks that die with their process]), and writes its temporary files under
 * `tmp/<pid>-<random>/`. The random part makes a registration unique even when a pid is reused
 * (PID namespaces, Docker). On open, registrations nobody holds are removed along with their
 * temp folders: that is how temp files of a killed process are collected. Stray *blobs* are
 * collected separately under the catalog's write lock (see blob-gc.ts), so a live process's
 * rename-then-commit is never raced.
 */

/** This process's claim on a library: its registration token and private temp folder. */
export interface ProcessRegistration {
  /** `<pid>-<random>`: names the lock in procs/ and the folder in tmp/. */
  readonly token: string;
  readonly tmpDir: string;
  /** Held until unregisterProcess (or until the process dies). */
  readonly lock: HeldLock;
}

const LOCK_SUFFIX = '.lock';
/** Tokens registered by this process (there may be several engines in one process, e.g. tests). */
const ownTokens = new Set<string>();

/** The lock file of a registration. */
function lockFile(procsDir: string, token: string): string {
  return path.join(procsDir, `${token}${LOCK_SUFFIX}`);
}

/** Registers this process in the library; its temp folder exists when this returns. */
export function registerProcess(procsDir: string, tmpRoot: string): ProcessRegistration {
  fs.mkdirSync(procsDir, { recursive: true });
  for (let attempt = 0; attempt < 5; attempt++) {
    const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
    const file = lockFile(procsDir, token);
    // Created empty first so we know its inode: a collector that found it unlocked (before we
    // locked it) may remove it; then the lock we took is on a file nobody can see, so try again.
    const fd = fs.openSync(file, 'wx');
    const ino = fs.fstatSync(fd).ino;
    fs.closeSync(fd); // no lock is held on it yet, so closing drops nothing
    const lock = tryLock(file);
    if (lock && sameInode(file, ino)) {
      const tmpDir = path.join(tmpRoot, token);
      fs.mkdirSync(tmpDir, { recursive: true });
      ownTokens.add(token);
      return { token, tmpDir, lock };
    }
    lock?.release();
  }
  throw new ShoeboxError('LIBRARY_LOCKED', `Could not register in ${procsDir}: another process keeps removing its entries. Try again.`);
}

function sameInode(file: string, ino: number): boolean {
  try {
    return fs.statSync(file).ino === ino;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return false;
    throw err;
  }
}

/**
 * Removes this process's registration and temp folder (on clean close). With `unclean`, the
 * registration file is left behind unlocked, so the next process to open the library treats this
 * one as having died and collects stray blobs (a close that could not collect them itself).
 */
export function unregisterProcess(reg: ProcessRegistration, opts: { unclean?: boolean } = {}): void {
  fs.rmSync(reg.tmpDir, { recursive: true, force: true });
  ownTokens.delete(reg.token);
  reg.lock.release({ unlink: !opts.unclean });
}

/** True while the process that registered as `token` lives (and has not closed the library). */
export function isRegistrationLive(procsDir: string, token: string): boolean {
  return ownTokens.has(token) || isLockHeld(lockFile(procsDir, token));
}

/**
 * Removes registrations and temp folders of dead processes. `deadProcesses` > 0 means some
 * process did not close cleanly, so stray blobs may exist.
 */
export function collectDeadProcesses(procsDir: string, tmpRoot: string): { deadProcesses: number; tempEntries: number } {
  let dead = 0;
  for (const name of listDir(procsDir)) {
    const file = path.join(procsDir, name);
    let collected = false;
    let refused = false;
    // Removed while we hold its lock, so a process registering under that name right now
    // notices (registerProcess checks the inode) instead of being silently unregistered.
    isLockHeld(file, () => {
      collected = true;
      refused = !removeFile(file);
    });
    if (refused) fs.rmSync(file, { force: true });
    if (collected) dead++;
  }
  let removed = 0;
  for (const name of listDir(tmpRoot)) {
    // Checked one by one rather than against the list above: a process that registered after
    // that list was read has its lock taken before its temp folder exists.
    if (isRegistrationLive(procsDir, name)) continue;
    removed += listDir(path.join(tmpRoot, name)).length || 1;
    fs.rmSync(path.join(tmpRoot, name), { recursive: true, force: true });
  }
  return { deadProcesses: dead, tempEntries: removed };
}

/**
 * When the earliest of the other live processes on the library registered (its lock file's
 * mtime), or null when there is none: a blob file written since may be one of theirs on its way
 * to its catalog row ([Note: Blobs in flight]).
 */
export function othersRegisteredSince(procsDir: string): number | null {
  let since: number | null = null;
  for (const name of listDir(procsDir)) {
    if (!name.endsWith(LOCK_SUFFIX)) continue;
    const token = name.slice(0, -LOCK_SUFFIX.length);
    const file = path.join(procsDir, name);
    if (ownTokens.has(token) || !isLockHeld(file)) continue;
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st) since = Math.min(since ?? st.mtimeMs, st.mtimeMs);
  }
  return since;
}

/** Pids of other live processes that have this library open. */
export function otherLiveProcesses(procsDir: string): number[] {
  const pids: number[] = [];
  for (const name of listDir(procsDir)) {
    if (!name.endsWith(LOCK_SUFFIX)) continue;
    const token = name.slice(0, -LOCK_SUFFIX.length);
    if (ownTokens.has(token) || !isLockHeld(path.join(procsDir, name))) continue;
    pids.push(Number(token.split('-')[0]));
  }
  return pids;
}


/**
 * Takes the exclusive "engine running" lock (one `shoebox run` or desktop app per library): a
 * lock file nobody else holds; a lock left by a dead process is free again by construction.
 * The holder's pid goes beside it (`<lock>.pid`) for messages. Returns a release function.
 */
export function acquireRunLock(lockPath: string): () => void {
  const lock = tryLock(lockPath, 500);
  if (!lock) {
    const holder = runLockHolder(lockPath);
    throw new ShoeboxError(
      'LIBRARY_LOCKED',
      `Another Shoebox engine (${holder ? `process ${holder}` : 'starting now'}) is already running on this library (${path.dirname(lockPath)}). ` +
        'Stop it first (or use that one); two engines on one library would fight over the same folders.',
    );
  }
  try {
    writeFileAtomic(`${lockPath}.pid`, `${process.pid}\n`, undefined, false);
  } catch (err) {
    lock.release();
    throw err;
  }
  return () => {
    fs.rmSync(`${lockPath}.pid`, { force: true });
    lock.release();
  };
}

/**
 * The pid of the process holding the engine lock, or null if nobody holds it. 0 if it is held
 * but its holder has not written its pid yet (it does so right after taking the lock).
 */
export function runLockHolder(lockPath: string): number | null {
  if (!isLockHeld(lockPath)) return null;
  const deadline = Date.now() + 1000;
  for (;;) {
    let text = '';
    try {
      text = fs.readFileSync(`${lockPath}.pid`, 'utf8');
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) throw err;
    }
    const pid = Number(text.trim());
    if (text && Number.isInteger(pid) && pid > 0) return pid;
    if (Date.now() > deadline || !isLockHeld(lockPath)) return isLockHeld(lockPath) ? 0 : null;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // the holder writes it next
  }
}
