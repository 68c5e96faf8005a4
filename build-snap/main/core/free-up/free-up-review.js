import fs from 'node:fs/promises';
import path from 'node:path';
import { blobPath } from '../blobs/blob-store.js';
import { FreeUpCatalog } from '../catalog/free-up-catalog.js';
import { isErrno } from '../errors.js';
import { fsPath } from '../media/raw-names.js';
import { walkTree } from '../upload/source-scan.js';
import { KEEP_REASON_TEXT, decideFreeUp } from './decide-free-up.js';
/** Reads a file in a worker and hashes it (no sniffing: every byte counts, not what kind of file it is). */
export function hashInWorker(ctx, file, signal) {
    return ctx.pool.run({ path: file, mode: 'hash', mediaType: 'application/octet-stream', maxBytes: Number.MAX_SAFE_INTEGER, tmpDir: ctx.tmpDir, objectsDir: ctx.paths.objects }, signal);
}
/**
 * Reviews the sources under `roots` for Free up space (DESIGN §11): walks them, asks the
 * catalog what each was backed up as, then runs decideFreeUp for each, making the reads it asks
 * for — the source's bytes, the library copy's stored bytes (once per content), the offsite
 * copy (once per content), the Trash (once per folder) — in the worker threads, several files
 * at a time. Changes nothing.
 */
export async function reviewSources(ctx, roots, policy, deps) {
    const catalog = new FreeUpCatalog(ctx.cdb);
    const found = { candidates: [], kept: [], excluded: 0, unreadable: [], bytesRead: 0 };
    const open = [];
    const progress = (phase, done, total) => deps.onProgress?.({ phase, done, total, bytes: found.bytesRead });
    let seen = 0;
    for (const root of roots) {
        for await (const f of sourcesUnder(root, (p) => found.unreadable.push(p), ctx.paths.root)) {
            if (deps.signal?.aborted)
                return found;
            const facts = { size: f.size, mtimeMs: f.mtimeMs, records: catalog.recordFacts(f.path), ignored: false };
            if (facts.records.length === 0)
                facts.ignored = catalog.isIgnored(f.path);
            const step = decideFreeUp(facts, policy);
            if (step.kind === 'out-of-scope')
                found.excluded++;
            else if (step.kind === 'keep')
                found.kept.push({ path: f.path, size: f.size, reason: step.reason, detail: step.detail ?? null });
            else
                open.push({ path: f.path, facts, ino: f.ino });
            if (++seen % 500 === 0)
                progress('scanning', seen, 0);
        }
    }
    const stored = new Map();
    const offsite = new Map();
    const trash = new Map();
    const memo = (m, key, make) => m.get(key) ?? (m.set(key, make()), m.get(key));
    let next = 0;
    let done = 0;
    progress('verifying', 0, open.length);
    const lane = async () => {
        while (next < open.length && !deps.signal?.aborted) {
            const item = open[next++];
            const { facts } = item;
            for (;;) {
                const step = decideFreeUp(facts, policy);
                if (step.kind === 'read-source') {
                    const r = await hashInWorker(ctx, item.path, deps.signal);
                    if (r.kind === 'hashed') {
                        found.bytesRead += r.size;
                        Object.assign(facts, { sourceHash: { hash: r.hash }, size: r.size, mtimeMs: r.mtimeMs });
                        item.ino = r.ino;
                    }
                    else {
                        facts.sourceHash = sourceProblem(r);
                    }
                }
                else if (step.kind === 'read-library') {
                    const state = await memo(stored, step.hash, () => verifyStored(ctx, step.hash, found, deps.signal));
                    facts.libraryBytes = { ...facts.libraryBytes, [step.hash]: state };
                }
                else if (step.kind === 'read-offsite') {
                    const check = await memo(offsite, step.hash, () => deps.offsite(step.hash));
                    facts.offsite = check.state === 'verified' ? { state: 'verified' } : check;
                }
                else if (step.kind === 'ask-trash') {
                    facts.trashRefusal = await memo(trash, path.dirname(item.path), () => deps.trashRefusal(item.path));
                }
                else {
                    if (step.kind === 'free')
                        found.candidates.push({ path: item.path, size: facts.size, mtimeMs: facts.mtimeMs, ino: item.ino, hash: step.hash, fileId: step.fileId });
                    else if (step.kind === 'keep')
                        found.kept.push({ path: item.path, size: facts.size, reason: step.reason, detail: step.detail ?? null });
                    else
                        found.excluded++;
                    break;
                }
            }
            if (++done % 50 === 0 || done === open.length)
                progress('verifying', done, open.length);
        }
    };
    await Promise.all(Array.from({ length: ctx.pool.concurrency }, lane));
    return found;
}
/** The files under a folder (walkTree), or the one file a root names. */
async function* sourcesUnder(root, onUnreadable, libraryRoot) {
    const st = await fs.lstat(fsPath(root)).catch((err) => {
        if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EIO'))
            return null;
        throw err;
    });
    if (st?.isFile()) {
        yield { path: root, relDir: '', size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: Number(st.ino) };
        return;
    }
    yield* walkTree(root, (p) => onUnreadable(p.path), libraryRoot);
}
/** Re-hashes a content's stored bytes: ok, damaged (other bytes, or unreadable), or missing. */
async function verifyStored(ctx, hash, found, signal) {
    const r = await hashInWorker(ctx, blobPath(ctx.paths.objects, hash), signal);
    if (r.kind === 'vanished')
        return 'missing';
    if (r.kind !== 'hashed') {
        ctx.log.warn('a library copy could not be read to verify it', { hash: hash.slice(0, 12), result: r.kind === 'failed' ? r.message : r.kind });
        return 'damaged';
    }
    found.bytesRead += r.size;
    return r.hash === hash ? 'ok' : 'damaged';
}
function sourceProblem(r) {
    if (r.kind === 'vanished')
        return { problem: 'gone', message: 'it vanished while being checked' };
    if (r.kind === 'ignored')
        return { problem: 'unreadable', message: 'it is no longer a regular file' };
    if (r.code === 'SOURCE_CHANGED')
        return { problem: 'changing', message: 'it changed while it was being read' };
    return { problem: 'unreadable', message: `it ${r.message}` };
}
/** Kept sources grouped by reason, with totals and the first few of each (for people). */
export function summarizeKept(kept, examples = 50) {
    const by = new Map();
    for (const k of kept) {
        const g = by.get(k.reason) ?? { files: 0, bytes: 0, examples: [] };
        g.files++;
        g.bytes += k.size;
        if (g.examples.length < examples)
            g.examples.push({ path: k.path, detail: k.detail });
        by.set(k.reason, g);
    }
    return [...by].sort((a, b) => b[1].files - a[1].files).map(([reason, g]) => ({ reason, text: KEEP_REASON_TEXT[reason], ...g }));
}
//# sourceMappingURL=free-up-review.js.map