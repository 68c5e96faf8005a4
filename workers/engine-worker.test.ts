import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

test('every task the engine worker exports is made by task(), so it lowers a live engine’s thread first', async () => {
  // Loaded in a thread of its own, as Piscina loads it (the module silences that thread's console).
  const url = new URL('./engine-worker.js', import.meta.url).href;
  const source = `import(${JSON.stringify(url)}).then((m) => require('node:worker_threads').parentPort.postMessage(
    Object.entries(m).map(([name, v]) => ({ name, fn: typeof v === 'function', task: typeof v === 'function' && v[Symbol.for('shoebox.engine-task')] === true }))))`;
  const worker = new Worker(source, { eval: true });
  const exports = await new Promise<{ name: string; fn: boolean; task: boolean }[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  const fns = exports.filter((e) => e.fn);
  assert.ok(fns.some((e) => e.name === 'ingestBatch'), `the module's exports were read: ${JSON.stringify(exports)}`);
  assert.deepEqual(
    fns.filter((e) => !e.task).map((e) => e.name),
    [],
    'exports written without task() would run at normal priority in a live engine',
  );
});
