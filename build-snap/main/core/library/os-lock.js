import fs from 'node:fs';
import { openDatabase } from '../catalog/sqlite-binding.js';
import { isErrno } from '../errors.js';
/**
 * Takes the exclusive lock on `file` (created if missing). Returns null if another connection
 * (in any process, this one included) holds it. Waits up to `waitMs` for short-lived readers
 * (liveness probes hold a shared lock for microseconds).
 */
export function tryLock(file, waitMs = 2000) {
    const db = openDatabase(file, { timeout: waitMs });
    try {
        db.pragma('journal_mode = MEMORY'); // no -journal file beside the lock
        db.pragma('locking_mode = EXCLUSIVE');
        db.exec('BEGIN EXCLUSIVE');
    }
    catch (err) {
        db.close();
        if (isErrno(err, 'SQLITE_BUSY', 'SQLITE_LOCKED'))
            return null;
        throw err;
    }
    let released = false;
    return {
        file,
        release(opts) {
            if (released)
                return;
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
export function isLockHeld(file, whileFree) {
    let db;
    try {
        db = openDatabase(file, { readonly: true, fileMustExist: true, timeout: 0 });
    }
    catch (err) {
        if (isErrno(err, 'SQLITE_CANTOPEN') || isErrno(err, 'ENOENT'))
            return false; // gone meanwhile
        throw err;
    }
    try {
        db.exec('BEGIN');
        db.prepare('SELECT count(*) FROM sqlite_master').get(); // takes the shared lock
    }
    catch (err) {
        db.close();
        if (isErrno(err, 'SQLITE_BUSY', 'SQLITE_LOCKED'))
            return true;
        if (isErrno(err, 'SQLITE_NOTADB', 'SQLITE_CORRUPT')) {
            whileFree?.(); // not a lock database (a registry entry of an older Shoebox): nobody holds it
            return false;
        }
        throw err;
    }
    try {
        whileFree?.();
    }
    finally {
        db.close();
    }
    return false;
}
/**
 * Removes a file, reporting false where the OS refuses to remove an open file (Windows), so
 * the caller can close it first.
 */
export function removeFile(file) {
    try {
        fs.rmSync(file, { force: true });
        return true;
    }
    catch (err) {
        if (isErrno(err, 'EBUSY', 'EPERM') && process.platform === 'win32')
            return false;
        throw err;
    }
}
//# sourceMappingURL=os-lock.js.map