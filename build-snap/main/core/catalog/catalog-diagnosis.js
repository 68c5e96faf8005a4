import fs from 'node:fs';
import path from 'node:path';
import { listBlobShards } from '../blobs/blob-store.js';
import { openDatabase } from './sqlite-binding.js';
import { isErrno } from '../errors.js';
import { listSnapshots, verifyCatalogFile } from './catalog-snapshots.js';
const INDEX_LINE = /^(row \d+ missing from index |wrong # of entries in index |non-unique entry in UNIQUE index |Page \d+ is never used|Freelist: )/;
/** True for an integrity_check line that means only an index disagrees with its table (rebuilding it from the table loses nothing). */
export function isIndexOnlyProblem(line) {
    return INDEX_LINE.test(line.replace(/^\*\*\* in database main \*\*\*\n/, ''));
}
/**
 * Looks at the catalog defensively: read-only, every SQLite error caught and turned into words.
 * Never changes anything and never throws for damage.
 */
export function diagnoseCatalog(paths) {
    let storedFiles = 0;
    for (const { names } of listBlobShards(paths.objects))
        storedFiles += names.length;
    const snapshots = listSnapshots(paths.snapshots).map(({ file: _file, ...s }) => s);
    const d = (state, summary, details = [], indexesOnly = false) => ({
        catalog: paths.catalog, state, summary, indexesOnly, details: details.slice(0, 8), storedFiles, snapshots,
    });
    if (fs.existsSync(path.join(paths.recovery, 'state.json')))
        return d('recovery-interrupted', 'a `check --recover` was interrupted before it finished');
    let size;
    try {
        size = fs.statSync(paths.catalog).size;
    }
    catch (err) {
        if (!isErrno(err, 'ENOENT'))
            return d('unreadable', `the file cannot be read (${err.code})`);
        return d('missing', 'the catalog file is missing');
    }
    if (size === 0)
        return d(storedFiles > 0 ? 'empty' : 'healthy', storedFiles > 0 ? 'the catalog file is empty (0 bytes)' : 'the library is new');
    const v = verifyCatalogFile(paths.catalog);
    if (v.ok)
        return d('healthy', 'the catalog passed its integrity check');
    const details = v.problems.map((p) => p.replace(/^\*\*\* in database main \*\*\*\n/, ''));
    const first = details[0] ?? '';
    if (/file is not a database/i.test(first))
        return d('unreadable', 'it is no longer a database file (its first page is damaged or overwritten)', details);
    if (v.schemaVersion === 0 && details.length === 1 && !/malformed/.test(first))
        return d('unreadable', first, details);
    const pages = new Set([...details.join('\n').matchAll(/Page (\d+)/g)].map((m) => m[1]));
    if (details.every(isIndexOnlyProblem) || tablesReadable(paths.catalog)) {
        return d('damaged', `only its indexes are damaged${pages.size > 0 ? ` (${pages.size} page(s))` : ''}; every row of its tables can still be read`, details, true);
    }
    if (pages.size > 0)
        return d('damaged', `${pages.size} of its pages cannot be read, nor the rows stored on them`, details);
    return d('damaged', `SQLite cannot read it whole ("${first.slice(0, 160)}")`, details);
}
/** True when every row of every table reads without error, going around the indexes. */
function tablesReadable(file) {
    let db;
    try {
        db = openDatabase(file, { readonly: true, fileMustExist: true });
        db.pragma('cell_size_check = ON');
        const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all();
        for (const t of tables)
            for (const _row of db.prepare(`SELECT * FROM "${t.name}" NOT INDEXED`).iterate())
                void _row;
        return true;
    }
    catch (err) {
        if (typeof err.code === 'string' && String(err.code).startsWith('SQLITE_'))
            return false;
        throw err;
    }
    finally {
        db?.close();
    }
}
//# sourceMappingURL=catalog-diagnosis.js.map