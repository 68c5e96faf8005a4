import path from 'node:path';
import { walkTree } from '../upload/source-scan.js';
/**
 * Compares a watch folder's tree with its source records (DESIGN §2 "While the app was
 * closed"): a file with the same size, mtime and inode as its record is unchanged and not
 * read again; others are upserts; records whose path is gone are deletions — except under a
 * folder that could not be read, which is reported instead. Pure comparison: no catalog writes.
 */
export async function diffWatch(ctx, store, watch) {
    // Compact on purpose (a string per path, not a record object): this map holds every file of
    // the watch, 100k+ entries, and sets the engine's peak memory at start.
    const known = new Map();
    for (const r of store.iterateRecords(watch)) {
        // A freed path ([Note: Freed is not deleted]) is no deletion when gone, and is looked at
        // again when present (it was put back: the watch forgets that it was freed).
        const sig = r.freed ? 'freed' : r.watchId === watch.id ? `${r.size}:${r.mtimeMs}:${r.ino}` : 'other';
        const prev = known.get(r.path);
        known.set(r.path, prev === undefined || prev === 'other' ? sig : prev === 'freed' || sig === 'freed' ? 'freed' : `${prev}|${sig}`);
    }
    const diff = { upserts: [], deletes: [], unchanged: 0, unreadable: [] };
    for await (const f of walkTree(watch.path, (p) => diff.unreadable.push(p.path), ctx.paths.root)) {
        const sig = known.get(f.path);
        known.delete(f.path);
        if (sig?.split('|').includes(`${f.size}:${f.mtimeMs}:${f.ino}`))
            diff.unchanged++;
        else
            diff.upserts.push({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, ino: f.ino });
    }
    const shielded = (p) => diff.unreadable.some((d) => p === d || p.startsWith(`${d}${path.sep}`));
    for (const [p, sig] of known) {
        if (sig !== 'other' && sig !== 'freed' && !shielded(p))
            diff.deletes.push(p);
    }
    return diff;
}
//# sourceMappingURL=watch-reconciler.js.map