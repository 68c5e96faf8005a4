import fs from 'node:fs/promises';
import { isErrno } from '../errors.js';
/** The defaults: see [Note: Settle window]. */
export const DEFAULT_TIMING = { settleMs: 1000, deleteDelayMs: 4000 };
/**
 * [Note: Settle window]
 * Events for one path are coalesced into one pending change (the last event wins: add then
 * unlink is a deletion, unlink then add an upsert). An upsert becomes ready when the file's
 * size and mtime are the same as at its last event, `settleMs` later: then it is completely
 * written (a copy in progress keeps producing events and changing size). A deletion is held
 * `deleteDelayMs`, longer than an add takes to settle and be processed, so a rename is seen
 * as a move rather than a delete plus a new file. Nothing is dropped: a burst of 10k events
 * is 10k map entries, handed out in batches.
 */
export class ChangeQueue {
    timing;
    now;
    pending = new Map();
    constructor(timing = DEFAULT_TIMING, now = Date.now) {
        this.timing = timing;
        this.now = now;
    }
    /** Number of paths waiting (to settle or to be processed). */
    get size() {
        return this.pending.size;
    }
    /** True if this path has a change waiting. */
    has(path) {
        return this.pending.has(path);
    }
    /** A file appeared or changed. */
    noteUpsert(path) {
        const prev = this.pending.get(path);
        this.pending.set(path, { kind: 'upsert', lastEventAt: this.now(), size: prev?.kind === 'upsert' ? prev.size : -1, mtimeMs: prev?.kind === 'upsert' ? prev.mtimeMs : -1 });
    }
    /** A file disappeared. */
    noteDelete(path) {
        this.pending.set(path, { kind: 'delete', due: this.now() + this.timing.deleteDelayMs });
    }
    /** Drops every pending deletion (the watch root went away: nothing may be treated as deleted). */
    dropDeletes() {
        let n = 0;
        for (const [p, c] of this.pending)
            if (c.kind === 'delete') {
                this.pending.delete(p);
                n++;
            }
        return n;
    }
    /**
     * Takes the changes that are ready: files that have settled (stat'ed now) and deletions past
     * their delay. A file that vanished while settling becomes a deletion.
     */
    async takeReady(limit = 2000) {
        const now = this.now();
        const upserts = [];
        const deletes = [];
        const toStat = [];
        for (const [p, c] of this.pending) {
            if (upserts.length + deletes.length + toStat.length >= limit)
                break;
            if (c.kind === 'delete') {
                if (c.due <= now)
                    deletes.push(p);
            }
            else if (now - c.lastEventAt >= this.timing.settleMs || c.size < 0) {
                toStat.push([p, c]);
            }
        }
        for (const d of deletes)
            this.pending.delete(d);
        await Promise.all(toStat.map(async ([p, c]) => {
            let st;
            try {
                st = await fs.lstat(p);
            }
            catch (err) {
                if (!isErrno(err, 'ENOENT', 'ENOTDIR'))
                    throw err;
            }
            if (this.pending.get(p) !== c)
                return; // a newer event arrived meanwhile
            if (!st) {
                this.pending.set(p, { kind: 'delete', due: this.now() + this.timing.deleteDelayMs });
            }
            else if (!st.isFile()) {
                this.pending.delete(p);
            }
            else if (c.size === st.size && c.mtimeMs === st.mtimeMs && now - c.lastEventAt >= this.timing.settleMs) {
                this.pending.delete(p);
                upserts.push({ path: p, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: Number(st.ino) });
            }
            else {
                // First look, or still being written: remember what we saw and wait another window.
                const first = c.size < 0;
                this.pending.set(p, { kind: 'upsert', lastEventAt: first ? c.lastEventAt : this.now(), size: st.size, mtimeMs: st.mtimeMs });
            }
        }));
        return { upserts, deletes };
    }
    /** Earliest time something might become ready (for scheduling the next look). */
    nextDue() {
        let min;
        for (const c of this.pending.values()) {
            const due = c.kind === 'delete' ? c.due : c.lastEventAt + this.timing.settleMs;
            if (min === undefined || due < min)
                min = due;
        }
        return min;
    }
}
//# sourceMappingURL=change-queue.js.map