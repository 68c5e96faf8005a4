import fs from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { injectFault } from '../faults.js';
import { makeDirBelow } from '../library/library-home.js';
/** Where a blob with this hash lives: `objects/<first two hex>/<hash>`. */
export function blobPath(objectsDir, hash) {
    return path.join(objectsDir, hash.slice(0, 2), hash);
}
/** fsyncs a directory so a rename inside it survives a power cut. */
export function fsyncDir(dir) {
    const fd = fs.openSync(dir, 'r');
    try {
        fs.fsyncSync(fd);
    }
    finally {
        fs.closeSync(fd);
    }
}
/**
 * Moves a complete, fsynced, verified temp file into its content-addressed place and fsyncs the
 * folder. If the blob is already there, the temp file is dropped (same hash = same bytes).
 * Returns true if it was newly placed.
 */
export function placeBlob(objectsDir, tmpFile, hash) {
    const final = blobPath(objectsDir, hash);
    const dir = path.dirname(final);
    if (fs.existsSync(final)) {
        fs.rmSync(tmpFile, { force: true });
        return false;
    }
    makeDirBelow(dir, 2); // objects/ab, never the library folder itself
    injectFault('blob-place');
    fs.renameSync(tmpFile, final);
    fsyncDir(dir);
    injectFault('blob-placed');
    return true;
}
/** True if the blob's file exists. */
export function blobExists(objectsDir, hash) {
    return fs.existsSync(blobPath(objectsDir, hash));
}
/** Opens a blob for reading as a stream. */
export function openBlobStream(objectsDir, hash, opts) {
    return fs.createReadStream(blobPath(objectsDir, hash), opts);
}
/** Lists every blob file name in the store (hash per file), shard by shard. */
export function* listBlobShards(objectsDir) {
    let shards;
    try {
        shards = fs.readdirSync(objectsDir);
    }
    catch (err) {
        if (isErrno(err, 'ENOENT'))
            return;
        throw err;
    }
    for (const shard of shards.sort()) {
        const dir = path.join(objectsDir, shard);
        yield { dir, names: fs.readdirSync(dir) };
    }
}
//# sourceMappingURL=blob-store.js.map