import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../logger.js';
import { SnapshotJob } from './snapshot-job.js';
const DAY = 86_400_000;
function harness(result) {
    let now = Date.UTC(2026, 10, 1);
    const taken = [];
    const damage = [];
    const snapshots = [];
    let release = () => undefined;
    const job = new SnapshotJob({
        take: () => {
            taken.push(now);
            return new Promise((resolve) => {
                release = () => {
                    const r = result();
                    if (r.ok)
                        snapshots.unshift({ file: '', name: '', kind: 'daily', takenAt: r.snapshot.takenAt, bytes: 0 });
                    resolve(r);
                };
            });
        },
        list: () => snapshots,
        now: () => now,
        log: silentLogger,
        reportDamage: (m) => damage.push(m),
        intervalMs: 60_000_000, // ticks are driven by hand below
        firstLookMs: 0,
    });
    return { job, taken, damage, advance: (ms) => (now += ms), release: () => release(), tick: () => job.tick(), get now() { return now; } };
}
const ok = (at, sourceProblems = []) => ({
    ok: true, pruned: [], sourceProblems, snapshot: { file: '', name: '', kind: 'daily', takenAt: at, bytes: 1, schemaVersion: 5, copyMs: 1, checkMs: 1 },
});
describe('snapshot job', () => {
    it('takes a snapshot at start, none again within a day, then the next day', async () => {
        const h = harness(() => ok(h.now));
        h.job.start();
        assert.equal(h.taken.length, 0, 'not at once: start-up goes first');
        await new Promise((r) => setTimeout(r, 5));
        assert.equal(h.taken.length, 1);
        h.tick(); // still in flight: not a second one
        assert.equal(h.taken.length, 1);
        h.release();
        await h.job.pending;
        h.advance(23 * 3600_000);
        h.tick();
        assert.equal(h.taken.length, 1);
        h.advance(3600_000);
        h.tick();
        assert.equal(h.taken.length, 2);
        h.release();
        await h.job.stop();
    });
    it('says so when the catalog cannot be copied because it is damaged, and tries again later', async () => {
        const h = harness(() => ({ ok: false, damaged: true, code: 'SQLITE_CORRUPT', message: 'database disk image is malformed' }));
        h.job.start();
        await new Promise((r) => setTimeout(r, 5));
        h.release();
        await h.job.pending;
        assert.equal(h.damage.length, 1);
        assert.match(h.damage[0], /damaged.*shoebox check/);
        h.advance(3600_000);
        h.tick();
        assert.equal(h.taken.length, 2, 'no snapshot was taken, so one is still due');
        h.release();
        await h.job.stop();
    });
    it('reports a live catalog that fails its integrity check even when the snapshot is good', async () => {
        const h = harness(() => ok(h.now, ['row 3 missing from index files_hash_name']));
        h.job.start();
        await new Promise((r) => setTimeout(r, 5));
        h.release();
        await h.job.stop();
        assert.equal(h.damage.length, 1);
        assert.match(h.damage[0], /integrity check/);
    });
    it('stop waits for a snapshot in flight and takes no more', async () => {
        const h = harness(() => ok(h.now));
        h.job.start();
        await new Promise((r) => setTimeout(r, 5));
        let stopped = false;
        const stopping = h.job.stop().then(() => (stopped = true));
        await new Promise((r) => setTimeout(r, 10));
        assert.equal(stopped, false);
        h.release();
        await stopping;
        h.advance(2 * DAY);
        h.tick();
        assert.equal(h.taken.length, 1);
    });
});
//# sourceMappingURL=snapshot-job.test.js.map