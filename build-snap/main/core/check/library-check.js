import fs from 'node:fs';
import { blobPath, listBlobShards } from '../blobs/blob-store.js';
import { isErrno } from '../errors.js';
import { hashFile } from '../upload/ingest-file.js';
import { DamageFound, catalogDamagedError } from '../catalog/catalog-damage.js';
/**
 * Verifies the catalog's invariants (DESIGN §1, §8) and its blobs: SQLite integrity; every
 * membership → live file → blob row → blob file of the right size; every live file in at
 * least one album and in Uncategorized exactly when in no other; no trashed file in an album;
 * source records point at files. With readData every blob is re-hashed.
 */
export function checkLibrary(cdb, objectsDir, opts = {}) {
    const db = cdb.db;
    const problems = [];
    const integrity = cdb.integrityCheck();
    if (!(integrity.length === 1 && integrity[0] === 'ok')) {
        // Nothing else is checked, or repaired, on a damaged catalog: its answers can't be trusted.
        // The caller describes the damage and offers `check --recover` ([Note: A damaged catalog]).
        throw catalogDamagedError(cdb.file, new DamageFound(`its integrity check found ${integrity.length} problem(s), e.g. "${integrity[0]}"`));
    }
    const q = (sql) => db.prepare(sql).all();
    for (const r of q('SELECT f.id, f.name FROM files f LEFT JOIN blobs b ON b.hash = f.blob_hash WHERE b.hash IS NULL')) {
        problems.push({ kind: 'file-without-blob-row', message: `${r.name} (file ${r.id}) refers to bytes the catalog does not list`, fileIds: [r.id] });
    }
    for (const r of q('SELECT m.album_id, m.file_id FROM memberships m LEFT JOIN files f ON f.id = m.file_id LEFT JOIN albums a ON a.id = m.album_id WHERE f.id IS NULL OR a.id IS NULL')) {
        problems.push({ kind: 'membership-dangling', message: `album ${r.album_id} lists file ${r.file_id}, which does not exist`, fileIds: [r.file_id] });
    }
    for (const r of q('SELECT f.id, f.name FROM files f JOIN memberships m ON m.file_id = f.id WHERE f.trashed_at IS NOT NULL GROUP BY f.id')) {
        problems.push({ kind: 'trashed-in-album', message: `${r.name} (file ${r.id}) is in Trash but still in an album`, fileIds: [r.id] });
    }
    for (const r of q('SELECT f.id, f.name FROM files f WHERE f.trashed_at IS NULL AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.file_id = f.id)')) {
        problems.push({ kind: 'live-file-in-no-album', message: `${r.name} (file ${r.id}) is in no album, not even Uncategorized`, fileIds: [r.id] });
    }
    for (const r of q(`SELECT f.id, f.name FROM files f JOIN memberships u ON u.file_id = f.id JOIN albums ua ON ua.id = u.album_id AND ua.kind = 'uncategorized'
     WHERE EXISTS (SELECT 1 FROM memberships m JOIN albums a ON a.id = m.album_id AND a.kind = 'user' WHERE m.file_id = f.id)`)) {
        problems.push({ kind: 'uncategorized-not-orphan', message: `${r.name} (file ${r.id}) is in Uncategorized and also in an album`, fileIds: [r.id] });
    }
    for (const r of q('SELECT s.id, s.path FROM source_records s LEFT JOIN files f ON f.id = s.file_id WHERE f.id IS NULL')) {
        problems.push({ kind: 'source-dangling', message: `the record of ${r.path} points at a file that does not exist` });
    }
    for (const r of q(`SELECT b.hash, b.live_files AS recorded, (SELECT COUNT(*) FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NULL) AS actual
     FROM blobs b WHERE b.live_files != (SELECT COUNT(*) FROM files f WHERE f.blob_hash = b.hash AND f.trashed_at IS NULL)`)) {
        problems.push({ kind: 'duplicate-index', message: `the duplicate index says ${r.recorded} live copies of ${r.hash.slice(0, 12)}, there are ${r.actual}`, hash: r.hash });
    }
    const filesOf = db.prepare('SELECT id, name FROM files WHERE blob_hash = ?');
    const affected = (hash) => {
        const rows = filesOf.all(hash);
        return { ids: rows.map((r) => r.id), names: rows.map((r) => r.name).join(', ') || '(no file)' };
    };
    let blobsChecked = 0;
    for (const b of db.prepare('SELECT hash, size FROM blobs').iterate()) {
        blobsChecked++;
        const p = blobPath(objectsDir, b.hash);
        // A blob that cannot be read (permissions, a disk error) is reported as such, by file, not
        // as missing or damaged, and never stops the check of the others.
        const unreadable = (err) => {
            const a = affected(b.hash);
            problems.push({ kind: 'blob-unreadable', message: `the stored bytes of ${a.names} cannot be read: ${p} (${err.code ?? err.message})`, fileIds: a.ids, hash: b.hash });
        };
        let size;
        try {
            size = fs.statSync(p).size;
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT', 'ENOTDIR')) {
                unreadable(err);
                continue;
            }
            const a = affected(b.hash);
            problems.push({ kind: 'blob-missing', message: `the stored bytes of ${a.names} are missing`, fileIds: a.ids, hash: b.hash });
            continue;
        }
        if (size !== b.size) {
            const a = affected(b.hash);
            problems.push({ kind: 'blob-size', message: `the stored bytes of ${a.names} have the wrong size (${size}, expected ${b.size})`, fileIds: a.ids, hash: b.hash });
        }
        else if (opts.readData) {
            let actual;
            try {
                actual = hashFile(p);
            }
            catch (err) {
                unreadable(err);
                continue;
            }
            if (actual !== b.hash) {
                const a = affected(b.hash);
                problems.push({ kind: 'blob-corrupt', message: `the stored bytes of ${a.names} are damaged (hash mismatch)`, fileIds: a.ids, hash: b.hash });
            }
        }
    }
    const known = db.prepare('SELECT 1 FROM blobs WHERE hash = ?');
    let strayBlobs = 0;
    for (const { names } of listBlobShards(objectsDir))
        for (const n of names)
            if (known.get(n) === undefined)
                strayBlobs++;
    return { problems, blobsChecked, strayBlobs };
}
//# sourceMappingURL=library-check.js.map