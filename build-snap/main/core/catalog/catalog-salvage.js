import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from './sqlite-binding.js';
const HASH = /^[0-9a-f]{64}$/;
/** Past this, a rowid is taken as the end of the table (Shoebox's ids count up from 1). */
const MAX_PLAUSIBLE_ROWID = 2 ** 40;
/**
 * Reads what it can from a damaged catalog, row by row (`.recover`-style): each table is read in
 * rowid order and a damaged page is stepped over (readTolerant), so one bad page loses only the
 * rows on it. Rows that don't look like Shoebox's
 * (a damaged page can decode as nonsense) are dropped. Works on a copy: opening applies its WAL.
 * Never throws for damage; `unreadable` says when nothing could be read.
 */
export function salvageCatalog(file) {
    const s = { unreadable: null, files: [], sourceNames: new Map(), livePartNames: new Map(), albums: [], watches: [], rowsRead: 0, rowsLost: 0, tablesLost: [] };
    let db;
    try {
        db = openDatabase(file, { fileMustExist: true });
        db.pragma('cell_size_check = ON'); // find damaged cells instead of decoding them
        db.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    catch (err) {
        s.unreadable = err.message;
        return s;
    }
    try {
        const read = (table, cols) => readTolerant(db, table, cols, s);
        for (const r of read('files', 'id, name, blob_hash AS hash, media_type AS mediaType, taken_at AS takenAt, modified_at AS modifiedAt, created_at AS createdAt, trashed_at AS trashedAt')) {
            if (!isName(r.name) || !isHash(r.hash))
                continue;
            s.files.push({
                id: r.id, name: r.name, hash: r.hash, mediaType: typeof r.mediaType === 'string' && r.mediaType.includes('/') ? r.mediaType : null,
                takenAt: intOrNull(r.takenAt), modifiedAt: intOrNull(r.modifiedAt), createdAt: intOrNull(r.createdAt), trashed: r.trashedAt !== null,
            });
        }
        for (const r of read('source_records', 'path, hash')) {
            if (typeof r.path === 'string' && isHash(r.hash) && isName(path.basename(r.path)))
                s.sourceNames.set(r.hash, path.basename(r.path));
        }
        for (const r of read('live_parts', 'blob_hash AS hash, name, media_type AS mediaType')) {
            if (isHash(r.hash) && isName(r.name) && typeof r.mediaType === 'string')
                s.livePartNames.set(r.hash, { name: r.name, mediaType: r.mediaType });
        }
        for (const r of read('albums', 'id, name, kind')) {
            if (r.kind === 'user' && typeof r.name === 'string' && r.name.length > 0)
                s.albums.push({ id: r.id, name: r.name });
        }
        for (const r of read('watches', 'path, mode, poll, paused, root_dev AS rootDev, added_at AS addedAt')) {
            if (typeof r.path !== 'string' || !path.isAbsolute(r.path) || (r.mode !== 'single' && r.mode !== 'separate'))
                continue;
            s.watches.push({ path: r.path, mode: r.mode, poll: r.poll === 1 ? 1 : 0, paused: r.paused === 1 ? 1 : 0, rootDev: intOrNull(r.rootDev), addedAt: intOrNull(r.addedAt) ?? 0 });
        }
    }
    finally {
        db.close();
    }
    return s;
}
/**
 * Reads a rowid table in rowid order; when a read hits a damaged page, finds where reading works
 * again (doubling steps, then halving back) and goes on from there, so one damaged page costs a
 * few dozen probes and only the rows on it.
 */
function readTolerant(db, table, cols, s) {
    let scan;
    let probe;
    try {
        scan = db.prepare(`SELECT ${cols}, rowid AS rowid_ FROM ${table} WHERE rowid >= ? ORDER BY rowid`);
        probe = db.prepare(`SELECT rowid FROM ${table} WHERE rowid >= ? ORDER BY rowid LIMIT 1`);
    }
    catch (err) {
        if (!isSqliteError(err))
            throw err;
        s.tablesLost.push(table); // missing (an older schema) or its definition is unreadable
        return [];
    }
    const readsFrom = (rowid) => {
        try {
            probe.get(rowid);
            return true;
        }
        catch (err) {
            if (!isSqliteError(err))
                throw err;
            return false;
        }
    };
    const out = [];
    for (let next = 0;;) {
        try {
            for (const row of scan.iterate(next)) {
                next = row.rowid_ + 1;
                delete row.rowid_;
                out.push(row);
                s.rowsRead++;
            }
            return out;
        }
        catch (err) {
            if (!isSqliteError(err))
                throw err;
        }
        s.rowsLost++;
        let bad = next;
        let good = -1;
        for (let step = 1; step <= MAX_PLAUSIBLE_ROWID; step *= 2) {
            if (readsFrom(next + step)) {
                good = next + step;
                break;
            }
            bad = next + step;
        }
        if (good < 0)
            return out; // nothing readable after the damage
        while (good - bad > 1) {
            const mid = bad + Math.floor((good - bad) / 2);
            if (readsFrom(mid))
                good = mid;
            else
                bad = mid;
        }
        next = good;
    }
}
function isSqliteError(err) {
    const code = err?.code;
    return typeof code === 'string' && code.startsWith('SQLITE_');
}
function isHash(v) {
    return typeof v === 'string' && HASH.test(v);
}
function isName(v) {
    return typeof v === 'string' && v.length > 0 && v.length <= 1024 && !v.includes('/') && !v.includes('\0');
}
function intOrNull(v) {
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}
/**
 * Makes a truncated copy readable: SQLite trusts the page count in the file's header, so a
 * file cut short fails as a whole ("malformed") even though its first pages are intact. The
 * copy is cut to whole pages and its header told how many there are. Returns false when the
 * header itself is unreadable. Only ever used on a copy.
 */
export function fitHeaderToFile(copy) {
    const fd = fs.openSync(copy, 'r+');
    try {
        const header = Buffer.alloc(100);
        if (fs.readSync(fd, header, 0, 100, 0) < 100 || !header.subarray(0, 16).equals(Buffer.from('SQLite format 3\0', 'latin1')))
            return false;
        const raw = header.readUInt16BE(16);
        const pageSize = raw === 1 ? 65536 : raw;
        if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0)
            return false;
        const pages = Math.floor(fs.fstatSync(fd).size / pageSize);
        if (pages < 1)
            return false;
        fs.ftruncateSync(fd, pages * pageSize);
        const count = Buffer.alloc(4);
        count.writeUInt32BE(pages);
        fs.writeSync(fd, count, 0, 4, 28);
        return true;
    }
    finally {
        fs.closeSync(fd);
    }
}
//# sourceMappingURL=catalog-salvage.js.map