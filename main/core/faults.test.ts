import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseFaults } from './faults.js';

const FAULTS = fileURLToPath(new URL('./faults.js', import.meta.url));

// A small ES module that passes `blob-placed` twice on the main thread, then three times on a
// worker thread sharing the counters, noting each pass on stderr: the pipe the markers use, so
// the test reads both in the order they were written.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-faults-'));
{
  fs.writeFileSync(path.join(dir, 'worker.mjs'), `
    import fs from 'node:fs';
    import { workerData } from 'node:worker_threads';
    import { injectFault, shareFaultCounters } from ${JSON.stringify(FAULTS)};
    shareFaultCounters(workerData);
    for (let i = 1; i <= 3; i++) { injectFault('blob-placed'); fs.writeSync(2, 'worker ' + i + '\\n'); }`);
  fs.writeFileSync(path.join(dir, 'main.mjs'), `
    import fs from 'node:fs';
    import { Worker } from 'node:worker_threads';
    import { faultCounters, injectFault } from ${JSON.stringify(FAULTS)};
    for (let i = 1; i <= 2; i++) { injectFault('blob-placed'); fs.writeSync(2, 'main ' + i + '\\n'); }
    const w = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: faultCounters() });
    w.on('exit', () => fs.writeSync(2, 'done\\n'));`);
}

const children = new Set<ChildProcess>();

/** Runs that module with SHOEBOX_FAULTS set; `lines()` is what it wrote, markers without their pid. */
function passes(faults: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [path.join(dir, 'main.mjs')], { env: { ...process.env, ...env, SHOEBOX_FAULTS: faults }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = () => stderr.split('\n').filter(Boolean).map((l) => l.replace(/ pid \d+$/, ''));
  return { child, lines, err: () => stderr, closed: once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]> };
}

/** The state letter of a process in /proc (T: stopped). */
function processState(pid: number): string {
  return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0]!;
}

describe('fault injection', () => {
  after(() => {
    for (const c of children) c.kill('SIGKILL'); // a stopped child left behind would hang up the whole run
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parses error codes, kill/stop/pause/trace, #n and probabilities; rejects unknown points and actions', () => {
    assert.deepEqual(parseFaults('blob-write:ENOSPC:0.2,catalog-write:SQLITE_IOERR:#3,dedup-group:kill:#37,sync-file:trace,upload-commit:pause:#2'), [
      { point: 'blob-write', action: 'ENOSPC', probability: 0.2 },
      { point: 'catalog-write', action: 'SQLITE_IOERR', nth: 3 },
      { point: 'dedup-group', action: 'kill', nth: 37 },
      { point: 'sync-file', action: 'trace', probability: 1 },
      { point: 'upload-commit', action: 'pause', nth: 2 },
    ]);
    assert.deepEqual(parseFaults(''), []);
    assert.throws(() => parseFaults('dedup-grop:kill:#3'), /unknown point "dedup-grop"/);
    assert.throws(() => parseFaults('dedup-group:explode'), /not point:action/);
    assert.throws(() => parseFaults('dedup-group:kill:#0'), /neither #n nor a probability/);
    assert.throws(() => parseFaults('dedup-group:kill:soon'), /neither #n nor a probability/);
  });

  it('kill at #n SIGKILLs the whole process at the n-th pass, counted across threads, after writing its marker', async () => {
    const p = passes('blob-placed:kill:#4');
    const [code, signal] = await p.closed;
    assert.equal(signal, 'SIGKILL', `exit ${code}: ${p.err()}`);
    assert.deepEqual(p.lines(), ['main 1', 'main 2', 'worker 1', 'shoebox-fault: kill blob-placed #4'], 'killed at the 4th pass: the 2nd on the worker thread');
  });

  it('stop at #n halts every thread at that pass until SIGCONT; trace reports every pass', async () => {
    const p = passes('blob-placed:trace,blob-placed:stop:#2');
    await new Promise<void>((resolve) => {
      const check = () => p.err().includes('stop blob-placed #2') && (p.child.stderr.off('data', check), resolve());
      p.child.stderr.on('data', check);
    });
    while (processState(p.child.pid!) !== 'T') await sleep(5); // SIGSTOP follows the marker at once
    assert.deepEqual(p.lines(), ['shoebox-fault: trace blob-placed #1', 'main 1', 'shoebox-fault: trace blob-placed #2', 'shoebox-fault: stop blob-placed #2'], 'nothing after the stop point ran');
    p.child.kill('SIGCONT');
    const [code] = await p.closed;
    assert.equal(code, 0);
    assert.deepEqual(p.lines(), [
      'shoebox-fault: trace blob-placed #1', 'main 1', 'shoebox-fault: trace blob-placed #2', 'shoebox-fault: stop blob-placed #2', 'main 2',
      'shoebox-fault: trace blob-placed #3', 'worker 1', 'shoebox-fault: trace blob-placed #4', 'worker 2', 'shoebox-fault: trace blob-placed #5', 'worker 3', 'done',
    ]);
  });

  it('pause at #n holds the thread at that pass (the others run on) until the go file exists, and says so in the pause folder', async () => {
    const pauseDir = fs.mkdtempSync(path.join(dir, 'pause-'));
    const p = passes('blob-placed:pause:#4', { SHOEBOX_PAUSE_DIR: pauseDir });
    const held = path.join(pauseDir, 'blob-placed.paused');
    while (!fs.existsSync(held)) await sleep(5);
    assert.equal(Number(fs.readFileSync(held, 'utf8')), p.child.pid, 'the paused file names the process');
    while (!p.err().includes('pause blob-placed #4')) await sleep(5);
    assert.deepEqual(p.lines(), ['main 1', 'main 2', 'worker 1', 'shoebox-fault: pause blob-placed #4'], 'held at the 4th pass: the 2nd on the worker thread');
    assert.notEqual(processState(p.child.pid!), 'T', 'not stopped: only that thread waits');
    fs.writeFileSync(path.join(pauseDir, 'blob-placed.go'), '');
    const [code] = await p.closed;
    assert.equal(code, 0);
    assert.deepEqual(p.lines().slice(4), ['worker 2', 'worker 3', 'done']);
  });

  it('a pause rule without SHOEBOX_PAUSE_DIR is refused at the first point', async () => {
    const p = passes('blob-placed:pause:#1', { SHOEBOX_PAUSE_DIR: '' });
    const [code] = await p.closed;
    assert.notEqual(code, 0);
    assert.match(p.err(), /pause rule but SHOEBOX_PAUSE_DIR is not set/);
  });

  it('an error code throws at that pass only', async () => {
    const p = passes('blob-placed:EIO:#2');
    const [code] = await p.closed;
    assert.notEqual(code, 0);
    assert.equal(p.lines()[0], 'main 1');
    assert.doesNotMatch(p.err(), /main 2/);
    assert.match(p.err(), /EIO: injected fault at blob-placed/);
  });
});
