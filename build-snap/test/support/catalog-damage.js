import fs from 'node:fs';
import Database from 'better-sqlite3';
import { randomBytesSeeded } from './fixtures.js';
/** The pages of a table or index in a catalog (1-based page numbers, root first), read with dbstat. */
export function pagesOf(catalogFile, name) {
    const db = new Database(catalogFile, { readonly: true, fileMustExist: true });
    try {
        return db.prepare('SELECT pageno AS page, pagetype AS type FROM dbstat WHERE name = ? ORDER BY path').all(name);
    }
    finally {
        db.close();
    }
}
/** Folds the WAL into the catalog file so that damage written to the file is what SQLite reads. */
export function checkpoint(catalogFile) {
    const db = new Database(catalogFile, { fileMustExist: true });
    try {
        db.pragma('wal_checkpoint(TRUNCATE)');
    }
    finally {
        db.close();
    }
}
/** Overwrites one whole page (1-based) of a database file with seeded random bytes, as a failing disk would. */
export function damagePage(file, page, seed = `page-${page}`) {
    const fd = fs.openSync(file, 'r+');
    try {
        const header = Buffer.alloc(18);
        fs.readSync(fd, header, 0, 18, 0);
        const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
        fs.writeSync(fd, randomBytesSeeded(seed, pageSize), 0, pageSize, (page - 1) * pageSize);
    }
    finally {
        fs.closeSync(fd);
    }
}
//# sourceMappingURL=catalog-damage.js.map