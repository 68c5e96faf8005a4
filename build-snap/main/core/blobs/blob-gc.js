import fs from 'node:fs';
import path from 'node:path';
import { listBlobShards } from './blob-store.js';
/**
 * Removes blob files that no catalog row references (a crash between placing a blob and
 * committing its row leaves one) and stray partial files. Each shard is handled inside one
 * catalog write transaction: see [Note: Blob present at commit] in upload-pipeline.ts for why
 * that makes it safe while another process is uploading.
 */
export function collectStrayBlobs(cdb, objectsDir, log) {
    let removed = 0;
    let bytes = 0;
    const known = cdb.db.prepare('SELECT 1 FROM blobs WHERE hash = ?');
    for (const { dir, names } of listBlobShards(objectsDir)) {
        cdb.write(() => {
            for (const name of names) {
                if (known.get(name) !== undefined)
                    continue;
                const file = path.join(dir, name);
                try {
                    bytes += fs.statSync(file).size;
                    fs.rmSync(file, { force: true });
                    removed++;
                }
                catch (err) {
                    log.warn('could not remove stray blob', { file, error: err.message });
                }
            }
        });
    }
    if (removed > 0)
        log.info('collected stray blobs', { removed, bytes });
    return { removed, bytes };
}
//# sourceMappingURL=blob-gc.js.map