import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IO_THREADS, commandOf, ioThreadPoolSize, parseLimit } from './io-threads.cjs';
import { workerBudget } from './system-limits.js';

test('an engine process asks for more I/O threads, unless the person chose a size or an address-space limit is set', () => {
  assert.equal(ioThreadPoolSize({}, null), String(IO_THREADS));
  assert.ok(IO_THREADS > 4, 'more than libuv’s default of 4');
  assert.equal(ioThreadPoolSize({ UV_THREADPOOL_SIZE: '2' }, null), undefined, 'the person’s own setting is kept');
  assert.equal(ioThreadPoolSize({ UV_THREADPOOL_SIZE: '' }, null), String(IO_THREADS), 'an empty one is no setting (libuv would take it as 1)');
  assert.equal(ioThreadPoolSize({}, 4 * 1024 ** 3), undefined, 'every thread reserves a stack: the default under ulimit -v');
});

test('the commands that serve a window while backing up (run, serve) keep the default I/O threads', () => {
  assert.equal(commandOf(['--library', '/x/run', '--json', 'upload', 'run']), 'upload');
  assert.equal(commandOf(['--library=/x', 'serve', '--port', '0']), 'serve');
  assert.equal(commandOf(['--help']), undefined);
  assert.equal(ioThreadPoolSize({}, null, 'serve'), undefined);
  assert.equal(ioThreadPoolSize({}, null, 'run'), undefined);
  assert.equal(ioThreadPoolSize({}, null, 'upload'), String(IO_THREADS));
  assert.equal(ioThreadPoolSize({}, null, 'watch'), String(IO_THREADS), '`watch add` backs a folder up without a window');
});

test('limits are read from /proc/self/limits text', () => {
  const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 1048576              files\nMax address space         unlimited            unlimited            bytes\n';
  assert.equal(parseLimit(text, 'Max open files'), 1024);
  assert.equal(parseLimit(text, 'Max address space'), null);
  assert.equal(parseLimit(text.replace('unlimited            unlimited', '4294967296           unlimited'), 'Max address space'), 4294967296);
  assert.equal(parseLimit('', 'Max open files'), null);
});

test('worker threads fit the address-space limit', () => {
  assert.deepEqual(workerBudget(4, 1, null), { threads: 4, modelThreads: 1 });
  const tight = workerBudget(4, 1, 2.5 * 1024 ** 3);
  assert.ok(tight.threads >= 1 && tight.threads < 4, `${tight.threads} threads under 2.5 GB`);
  assert.equal(tight.refusal, undefined);
  assert.equal(workerBudget(4, 1, 1.3 * 1024 ** 3).refusal?.code, 'RESOURCE_LIMIT');
});
