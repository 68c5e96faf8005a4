import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runQueue } from './work-queue.js';

/** A work function whose items finish only when the test says so. */
function gated() {
  const running = new Map<number, () => void>();
  const failing = new Map<number, (e: Error) => void>();
  const started: number[] = [];
  let peak = 0;
  const work = (item: number) =>
    new Promise<void>((resolve, reject) => {
      started.push(item);
      running.set(item, resolve);
      failing.set(item, reject);
      peak = Math.max(peak, running.size);
    }).finally(() => {
      running.delete(item);
      failing.delete(item);
    });
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    work, started, running, get peak() { return peak; }, settle,
    async finish(item: number) { running.get(item)!(); await settle(); },
    async fail(item: number, message: string) { failing.get(item)!(new Error(message)); await settle(); },
  };
}

describe('work queue', () => {
  it('runs at most `concurrency` items at once, starting them in order', async () => {
    const g = gated();
    const done = runQueue([1, 2, 3, 4, 5], g.work, { concurrency: 2 });
    await g.settle();
    assert.deepEqual(g.started, [1, 2]);
    await g.finish(2);
    assert.deepEqual(g.started, [1, 2, 3]);
    for (const i of [1, 3, 4, 5]) await g.finish(i);
    assert.deepEqual(await done, { started: 5, stopped: false });
    assert.equal(g.peak, 2);
  });

  it('after an item throws, starts nothing new, waits for the items in flight, then throws the first error', async () => {
    const g = gated();
    let settled = false;
    const outcome = runQueue([1, 2, 3, 4], g.work, { concurrency: 2 }).then(
      () => null,
      (e: Error & { suppressed?: Error[] }) => ((settled = true), e),
    );
    await g.settle();
    await g.fail(1, 'disk full');
    assert.deepEqual(g.started, [1, 2], 'no new item after the failure');
    assert.equal(settled, false, 'item 2 is still running: the queue waits for it');
    await g.fail(2, 'disk full again');
    const e = await outcome;
    assert.equal(e?.message, 'disk full');
    assert.deepEqual(e.suppressed?.map((x) => x.message), ['disk full again']);
  });

  it('shouldStop stops starting items; the started ones finish', async () => {
    const g = gated();
    let stop = false;
    const done = runQueue([1, 2, 3, 4], g.work, { concurrency: 2, shouldStop: () => stop });
    await g.settle();
    stop = true;
    await g.finish(1);
    await g.finish(2);
    assert.deepEqual(await done, { started: 2, stopped: true });
    assert.deepEqual(g.started, [1, 2]);
  });

  it('an aborted signal stops starting items', async () => {
    const g = gated();
    const ac = new AbortController();
    const done = runQueue([1, 2, 3], g.work, { concurrency: 1, signal: ac.signal });
    await g.settle();
    ac.abort();
    await g.finish(1);
    assert.deepEqual(await done, { started: 1, stopped: true });
  });

  it('no items, or fewer items than lanes, or a concurrency below 1', async () => {
    assert.deepEqual(await runQueue([], () => Promise.reject(new Error('never')), { concurrency: 4 }), { started: 0, stopped: false });
    const seen: number[] = [];
    await runQueue([7], (x) => Promise.resolve(void seen.push(x)), { concurrency: 8 });
    await runQueue([8, 9], (x) => Promise.resolve(void seen.push(x)), { concurrency: 0 });
    assert.deepEqual(seen, [7, 8, 9]);
  });

  it('passes each item its index', async () => {
    const seen: Array<[string, number]> = [];
    await runQueue(['a', 'b', 'c'], (x, i) => Promise.resolve(void seen.push([x, i])), { concurrency: 3 });
    assert.deepEqual(seen.sort(), [['a', 0], ['b', 1], ['c', 2]]);
  });
});
