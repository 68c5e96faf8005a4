import fs from 'node:fs';
import path from 'node:path';
import { ShoeboxError, isErrno } from '../errors.js';
/**
 * [Note: A damaged catalog]
 * The catalog can be damaged under Shoebox (a disk that flips bytes, a copy cut short, a file
 * truncated by a full disk or by hand). SQLite notices when it reads a damaged page
 * (SQLITE_CORRUPT, SQLITE_NOTADB, a short read), so damage shows up at open or at any later
 * query, depending on which page was hit. Every such error becomes one message naming the
 * catalog and saying what to run (`shoebox check --recover`, catalog-recovery.ts), exit code 5.
 * Two kinds of damage SQLite cannot see are caught before opening: a catalog that is missing or
 * empty (0 bytes) while objects/ holds photos — SQLite would happily create a fresh, empty
 * catalog there and every photo would look like a stray blob — and a recovery that was
 * interrupted (recovery/state.json). Photos' bytes are never in the catalog, so damage to it
 * loses names and albums, never bytes.
 */
/** True when err (or an error in its cause chain) says the catalog file is damaged. */
export function isCatalogDamage(err) {
    for (let e = err, depth = 0; e && depth < 8; e = e.cause, depth++) {
        if ((e instanceof ShoeboxError && e.code === 'LIBRARY_CORRUPT') || e instanceof DamageFound)
            return true;
        const code = e.code;
        if (typeof code !== 'string')
            continue;
        if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR_SHORT_READ')
            return true;
    }
    return false;
}
/**
 * The one error every command gives on a damaged catalog. `recoverCommand` is what the person
 * should type (the CLI adds `--library DIR` when they named a library explicitly).
 */
export function catalogDamagedError(catalogFile, cause, recoverCommand = 'shoebox check --recover') {
    const root = path.dirname(catalogFile);
    const what = hasSnapshot(path.join(root, 'snapshots'))
        ? 'to restore the catalog from its newest good snapshot and bring back every photo stored since'
        : 'to rebuild the catalog from the stored photos (named from the damaged catalog where it can still be read)';
    return new ShoeboxError('LIBRARY_CORRUPT', `The library catalog ${catalogFile} is damaged (${damageReason(cause)}). Your photos' bytes are safe in ${path.join(root, 'objects')}. ` +
        `Run \`${recoverCommand}\` ${what}; the damaged file is kept. \`${recoverCommand.replace(/ --recover$/, '')}\` describes the damage first.`, { cause });
}
function hasSnapshot(dir) {
    try {
        return fs.readdirSync(dir).some((n) => n.startsWith('catalog-') && n.endsWith('.sqlite'));
    }
    catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES'))
            return false;
        throw err;
    }
}
/** A short reason for a damage error, in plain words. */
function damageReason(err) {
    for (let e = err, depth = 0; e && depth < 8; e = e.cause, depth++) {
        if (e instanceof DamageFound)
            return e.reason;
        const code = e.code;
        if (code === 'SQLITE_NOTADB')
            return 'it is not a database file any more';
        if (code === 'SQLITE_IOERR_SHORT_READ')
            return 'the file is shorter than it should be';
        if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))
            return 'SQLite reports "database disk image is malformed"';
    }
    return 'it cannot be read';
}
/** A damage Shoebox found itself (not reported by SQLite), with its plain-words reason. */
export class DamageFound extends Error {
    reason;
    constructor(reason) {
        super(reason);
        this.reason = reason;
    }
}
/**
 * Refuses to open a catalog that is damaged in a way SQLite would not notice (see [Note: A
 * damaged catalog]): an interrupted recovery, or a missing or empty catalog beside stored photos.
 */
export function guardCatalogFile(paths) {
    if (fs.existsSync(path.join(paths.recovery, 'state.json'))) {
        throw catalogDamagedError(paths.catalog, new DamageFound('a `shoebox check --recover` was interrupted; run it again to finish'));
    }
    let size;
    try {
        size = fs.statSync(paths.catalog).size;
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            throw err;
        size = -1;
    }
    if (size > 0)
        return;
    if (!hasStoredBlobs(paths.objects))
        return; // a new library (or one whose catalog was never written)
    throw catalogDamagedError(paths.catalog, new DamageFound(size === 0 ? 'the file is empty (0 bytes) but the library holds photos' : 'the file is missing but the library holds photos'));
}
/** True if objects/ holds at least one stored blob file (stops at the first). */
export function hasStoredBlobs(objectsDir) {
    let shards;
    try {
        shards = fs.readdirSync(objectsDir);
    }
    catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR'))
            return false;
        throw err;
    }
    for (const shard of shards) {
        try {
            if (fs.readdirSync(path.join(objectsDir, shard)).length > 0)
                return true;
        }
        catch (err) {
            if (!isErrno(err, 'ENOTDIR', 'ENOENT'))
                throw err;
        }
    }
    return false;
}
//# sourceMappingURL=catalog-damage.js.map