import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobRunner } from '../jobs/job-runner.js';
import { ManualClock } from '../jobs/manual-clock.js';
import { silentLogger } from '../logger.js';
import type { SnapshotInfo, SnapshotTaskResult } from './catalog-snapshots.js';
import { dailySnapshotJob } from './snapshot-job.js';

const DAY = 86_400_000;
const HOUR = 3600_000;
const T0 = Date.UTC(2026, 10, 1);

/** The daily snapshot job in a job runner on a hand-driven clock; `release()` finishes the snapshot in flight. */
function harness(result: () => SnapshotTaskResult) {
  const clock = new ManualClock();
  const taken: number[] = [];
  const damage: string[] = [];
  const snapshots: SnapshotInfo[] = [];
  let release: () => void = () => undefined;
  const job = dailySnapshotJob({
    take: () => {
      taken.push(T0 + clock.now);
      return new Promise<SnapshotTaskResult>((resolve) => {
        release = () => {
          const r = result();
          if (r.ok) snapshots.unshift({ file: '', name: '', kind: 'daily', takenAt: r.snapshot.takenAt, bytes: 0 });
          resolve(r);
        };
      });
    },
    list: () => snapshots,
    now: () => T0 + clock.now,
    log: silentLogger,
    reportDamage: (m) => damage.push(m),
  });
  const runner = new JobRunner([job], silentLogger, clock);
  return {
    runner, clock, taken, damage,
    get now() { return T0 + clock.now; },
    release: async () => {
      release();
      await runner.pending;
    },
  };
}

const ok = (at: number, sourceProblems: string[] = []): SnapshotTaskResult => ({
  ok: true, pruned: [], sourceProblems, snapshot: { file: '', name: '', kind: 'daily', takenAt: at, bytes: 1, schemaVersion: 5, copyMs: 1, checkMs: 1 },
});

describe('snapshot job', () => {
  it('takes a snapshot 10 s after start, none again within a day, then the next day', async () => {
    const h = harness(() => ok(h.now));
    h.runner.start();
    await h.clock.advance(9_999);
    assert.equal(h.taken.length, 0, 'not at once: start-up goes first');
    await h.clock.advance(1);
    assert.equal(h.taken.length, 1);
    await h.clock.advance(2 * HOUR); // still in flight: not a second one
    assert.equal(h.taken.length, 1);
    await h.release(); // the snapshot is dated when it finished; the hourly looks go on from there
    await h.clock.advance(23 * HOUR);
    assert.equal(h.taken.length, 1, 'a day has not passed since the snapshot');
    await h.clock.advance(HOUR);
    assert.equal(h.taken.length, 2);
    await h.release();
    await h.runner.stop();
  });

  it('says so when the catalog cannot be copied because it is damaged, and tries again later', async () => {
    const h = harness(() => ({ ok: false, damaged: true, code: 'SQLITE_CORRUPT', message: 'database disk image is malformed' }));
    h.runner.start();
    await h.clock.advance(10_000);
    await h.release();
    assert.equal(h.damage.length, 1);
    assert.match(h.damage[0]!, /damaged.*check of the library/);
    await h.clock.advance(HOUR);
    assert.equal(h.taken.length, 2, 'no snapshot was taken, so one is still due');
    await h.release();
    await h.runner.stop();
  });

  it('reports a live catalog that fails its integrity check even when the snapshot is good', async () => {
    const h = harness(() => ok(h.now, ['row 3 missing from index files_hash_name']));
    h.runner.start();
    await h.clock.advance(10_000);
    await h.release();
    await h.runner.stop();
    assert.equal(h.damage.length, 1);
    assert.match(h.damage[0]!, /integrity check/);
  });

  it('stop waits for a snapshot in flight and takes no more', async () => {
    const h = harness(() => ok(h.now));
    h.runner.start();
    await h.clock.advance(10_000);
    let stopped = false;
    const stopping = h.runner.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false);
    await h.release();
    await stopping;
    await h.clock.advance(2 * DAY);
    assert.equal(h.taken.length, 1);
  });
});
