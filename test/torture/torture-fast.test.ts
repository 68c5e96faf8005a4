// The fast parts of the torture suite (issue #11), in CI: a short crash loop, one round of each race (issue #15), every disk fault,
// every hostile input, API abuse and a small load run. `npm run torture` runs them at full size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiFuzz } from './api-fuzz.js';
import { crashLoop } from './crash-loop.js';
import { diskFaults } from './disk-faults.js';
import { hostileInputs } from './hostile-inputs.js';
import { loadTest } from './load.js';
import { raceLoop } from './races.js';

const seed = Number(process.env.SHOEBOX_TORTURE_SEED ?? 20261124); // fixed in CI; `npm run torture` draws a new one each run

describe('torture (fast parts)', () => {
  it('crash loop: 16 kills, each mid-operation by construction; every invariant holds, nothing lost', { timeout: 600_000 }, async (t) => {
    t.diagnostic(`seed ${seed} (SHOEBOX_TORTURE_SEED=${seed} reproduces it)`);
    const r = await crashLoop({ seed, kills: 16 });
    t.diagnostic(`runs ${JSON.stringify(r.runs)}; ${r.kills} kills landed mid-operation: ${JSON.stringify(r.landed)}`);
    assert.deepEqual(r.violations, []);
    assert.equal(r.dataLost, 0);
    assert.equal(r.kills, 16, 'every kill landed mid-operation');
  });

  it('races between processes (purge vs upload, stray collection vs upload), a damaged index, a wrong clock: nothing lost', { timeout: 600_000 }, async (t) => {
    const r = await raceLoop({ seed, rounds: 1, photos: 6 });
    t.diagnostic(`runs ${JSON.stringify(r.runs)}`);
    assert.deepEqual(r.violations, []);
    assert.equal(r.lost, 0);
  });

  it('disk faults: injected ENOSPC/EIO at every write path and a real full disk', { timeout: 300_000 }, async (t) => {
    const r = await diskFaults();
    t.diagnostic(`${r.faults} faults injected; real full disk: ${r.realFullDisk}`);
    assert.deepEqual(r.violations, []);
    assert.ok(r.faults >= r.cases.length - 1, `faults ${r.faults} for ${r.cases.length} cases`);
  });

  it('hostile inputs: nothing escapes, nothing lost, odd names keep their bytes', { timeout: 300_000 }, async (t) => {
    const r = await hostileInputs();
    t.diagnostic(`${r.tried.length} hostile inputs`);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.lost, []);
  });

  it('API abuse over the WebSocket and IPC: typed errors, library unchanged', { timeout: 300_000 }, async (t) => {
    const r = await apiFuzz({ seed, runs: 300 });
    t.diagnostic(`${r.messages} messages`);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.lost, []);
  });

  it('load: a burst into nested new folders with the window connected, every file once', { timeout: 300_000 }, async (t) => {
    const r = await loadTest({ files: 3000, folders: 120, burst: 1500 });
    t.diagnostic(`burst backed up in ${r.burstS.toFixed(1)} s, peak RSS ${r.peakRssMb} MB, loop lag p99 ${r.loopLagMs.p99} ms, click p99 ${r.clickMs.p99} ms`);
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.lost.slice(0, 5), []);
  });
});
