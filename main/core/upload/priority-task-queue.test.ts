import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Piscina } from 'piscina';
import { PriorityTaskQueue, withPriority, type TaskPriority } from './priority-task-queue.js';

type Queued = Parameters<PriorityTaskQueue['push']>[0];

/** A queued task as Piscina hands it to the queue: its options read from the submitted payload. */
function task(name: string, priority?: TaskPriority): Queued {
  const payload = priority ? withPriority({ name }, priority) : { name };
  return { name, get [Piscina.queueOptionsSymbol]() { return (payload as Record<symbol, object | null>)[Piscina.queueOptionsSymbol] ?? null; } } as unknown as Queued;
}

describe('the pool queue ([Note: Pool priorities])', () => {
  it('runs what a person looks at first, the newest first; then thumbnails and other work, each in order', () => {
    const q = new PriorityTaskQueue();
    const all = [task('ingest 1'), task('thumb 1', 'thumb'), task('view 1', 'view'), task('ingest 2', 'normal'), task('thumb 2', 'thumb'), task('view 2', 'view')];
    for (const t of all) q.push(t);
    assert.equal(q.size, 6);
    const order: string[] = [];
    for (let t = q.shift(); t; t = q.shift()) order.push((t as unknown as { name: string }).name);
    assert.deepEqual(order, ['view 2', 'view 1', 'thumb 1', 'thumb 2', 'ingest 1', 'ingest 2']);
    assert.equal(q.size, 0);
  });

  it('an aborted task leaves the queue; the priority is not sent to the thread', () => {
    const q = new PriorityTaskQueue();
    const a = task('a', 'thumb');
    const b = task('b', 'thumb');
    q.push(a);
    q.push(b);
    q.remove(a);
    assert.equal(q.size, 1);
    assert.equal(q.shift(), b);
    assert.deepEqual(structuredClone(withPriority({ x: 1 }, 'view')), { x: 1 });
  });
});
