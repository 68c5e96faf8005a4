import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { IngestPool } from './upload/ingest-pool.js';
import { BACKGROUND_NICE } from './thread-priority.js';

const linux = fs.existsSync('/proc/thread-self');

/** A thread's nice value as the system reports it. */
function niceOfThread(pid: number, tid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name (in parentheses, which may hold spaces): nice is field 19.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  } catch {
    return undefined; // the thread ended meanwhile
  }
}

/** The nice value of each of this process's threads, by thread id. */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task').map(Number)) {
    const nice = niceOfThread(process.pid, tid);
    if (nice !== undefined) nices.set(tid, nice);
  }
  return nices;
}

const base = os.getPriority();
const want = Math.min(19, base + BACKGROUND_NICE);
const skip = !linux ? 'thread priorities are per thread only on Linux' : want === base ? 'the test process already runs at the lowest priority' : false;

test('a live engine’s worker threads yield the cores to the main thread; a command’s keep the process’s priority', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-priority-'));
  const photo = path.join(dir, 'a.jpg');
  fs.writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]));
  const task = { entries: [{ path: photo, mode: 'hash' as const }], tmpDir: dir, objectsDir: path.join(dir, 'objects') };
  const pool = new IngestPool(2);
  try {
    const [first] = await pool.ingestBatch(task);
    assert.equal(first?.kind, 'hashed', 'the task ran');
    assert.ok(![...threadNices().values()].includes(want), 'not live: no thread was lowered');

    pool.setBackground();
    // Every thread that takes a task from now on lowers itself first: give both threads one.
    await Promise.all([pool.ingestBatch(task), pool.ingestBatch(task), pool.ingestBatch(task), pool.ingestBatch(task)]);
    const nices = threadNices();
    assert.equal(nices.get(process.pid), base, 'the main thread keeps the process’s priority');
    const lowered = [...nices.values()].filter((n) => n === want).length;
    assert.ok(lowered >= 1, `a worker thread runs at nice ${want} (threads: ${JSON.stringify([...nices])})`);
  } finally {
    await pool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
