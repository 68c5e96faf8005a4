import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { openDatabase } from '../catalog/sqlite-binding.js';
import { isErrno } from '../errors.js';

/**
 * [Note: Locks that die with their process]
 * Whether another process still has the library open, or still runs the engine, must not be
 * decided by pid: after a crash in a PID namespace (Docker, where the engine is PID 1) the next
 * process gets the same pid and `kill(pid, 0)` says the dead one is alive; two containers sharing
 * one library both run as PID 1. Instead each such claim is an OS lock that the kernel drops when
 * its process dies, however it dies. Node has no flock, so the lock is taken through SQLite (which
 * the catalog already needs, so it works wherever the catalog works): a small lock database held
 * with `locking_mode=EXCLUSIVE` + `BEGIN EXCLUSIVE` (POSIX fcntl locks on Unix, LockFileEx on
 * Windows). Within one process SQLite's own table of open files makes a second connection see
 * the lock too. Alternatives weighed: fs-ext's flock is a native addon to build and ship for a
 * feature SQLite already gives us; pid + process start time is Linux-only and still wrong across
 * namespaces sharing a library; a listening Unix socket is async, limited to 108-byte paths and
 * not on Windows; lockfile libraries (mkdir + mtime) guess staleness from the clock.
 * Caveat (POSIX): closing *any* descriptor of a lock file in this process drops the lock, so a
 * lock file must never be opened with `fs` here; only through these functions (SQLite keeps its
 * descriptors open while a lock on the file is held).
 */

/** A lock this process holds until release() (or until it dies). */
export interface HeldLock {
  readonly file: string;
  /** Releases the lock; with `unlink`, removes the file first (while still holding it). */
  release(opts?: { unlink?: boolean }): void;
}

/**
 * Takes the exclusive lock on `file` (created if missing). Returns null if another connection
 * (in any process, this one included) holds it. Waits up to `waitMs` for short-lived readers
 * (liveness probes hold a shared lock for microseconds).
 */
export function tryLock(file: string, waitMs = 2000): HeldLock | null {
  const db = openDatabase(file, { timeout: waitMs });
  try {
    db.pragma('journal_mode = MEMORY'); // no -journal file beside the lock
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if (isErrno(err, 'SQLITE_BUSY', 'SQLITE_LOCKED')) return null;
    throw err;
  }
  let released = false;
  return {
    file,
    release(opts) {
      if (released) return;
      released = true;
      if (opts?.unlink && !removeFile(file)) {
        db.close();
        fs.rmSync(file, { force: true }); // Windows: an open file cannot be removed
        return;
      }
      db.close(); // closing the connection drops the lock
    },
  };
}

/**
 * True if some process (this one included) holds the lock on `file`. False if the file is
 * missing, is not a lock database, or nobody holds it (its holder died: the OS dropped the lock).
 * With `whileFree`, a free lock is kept (as a shared lock) while the callback runs, so the
 * callback can remove what the dead holder left without a new holder taking it meanwhile.
 */
export function isLockHeld(file: string, whileFree?: () => void): boolean {
  let db: Database.Database;
  try {
    db = openDatabase(file, { readonly: true, fileMustExist: true, timeout: 0 });
  } catch (err) {
    if (isErrno(err, 'SQLITE_CANTOPEN') || isErrno(err, 'ENOENT')) return false; // gone meanwhile
    throw err;
  }
  try {
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM sqlite_master').get(); // takes the shared lock
  } catch (err) {
    db.close();
    if (isErrno(err, 'SQLITE_BUSY', 'SQLITE_LOCKED')) return true;
    if (isErrno(err, 'SQLITE_NOTADB', 'SQLITE_CORRUPT')) {
      whileFree?.(); // not a lock database (a registry entry of an older Shoebox): nobody holds it
      return false;
    }
    throw err;
  }
  try {
    whileFree?.();
  } finally {
    db.close();
  }
  return false;
}

/**
 * Removes a file, reporting false where the OS refuses to remove an open file (Windows), so
 * the caller can close it first.
 */
export function removeFile(file: string): boolean {
  try {
    fs.rmSync(file, { force: true });
    return true;
  } catch (err) {
    if (isErrno(err, 'EBUSY', 'EPERM') && process.platform === 'win32') return false;
    throw err;
  }
}
