import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger, type Logger } from '../logger.js';
import { JobRunner, type Job } from './job-runner.js';
import { ManualClock } from './manual-clock.js';

const settle = () => new Promise((r) => setImmediate(r));

/** A logger that keeps its warnings. */
function memoryLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { ...silentLogger, warn: (m: string, f?: Record<string, unknown>) => void warnings.push(`${m} ${JSON.stringify(f)}`), child: () => memoryLog(), warnings };
}

/** A job that records when it ran and, if `gate` is set, finishes only when released. */
function recorder(clock: ManualClock, job: Partial<Job> & { name: string }, gate = false) {
  const runs: number[] = [];
  let release: (more?: boolean) => void = () => undefined;
  let stopAsked: (() => boolean) | undefined;
  const j: Job = {
    failure: `${job.name} failed`,
    run: (ctl) => {
      runs.push(clock.now);
      stopAsked = ctl.shouldStop;
      if (!gate) return false;
      return new Promise<boolean>((resolve) => (release = (more = false) => resolve(more)));
    },
    ...job,
  };
  return { job: j, runs, release: async (more?: boolean) => { release(more); await settle(); }, shouldStop: () => stopAsked?.() };
}

describe('background job runner', () => {
  it('runs each job first after firstMs, then every everyMs', async () => {
    const clock = new ManualClock();
    const a = recorder(clock, { name: 'a', firstMs: 10, everyMs: 100 });
    const b = recorder(clock, { name: 'b', everyMs: 50 });
    const runner = new JobRunner([a.job, b.job], silentLogger, clock);
    runner.start();
    await clock.advance(400);
    assert.deepEqual(a.runs, [10, 110, 210, 310]);
    assert.deepEqual(b.runs, [], 'no firstMs: only run by hand');
    await runner.runNow('b');
    await clock.advance(120);
    assert.deepEqual(b.runs, [400, 450, 500], 'after runNow, every 50');
    await runner.stop();
  });

  it('a job whose condition fails skips its turn and looks again at the next', async () => {
    const clock = new ManualClock();
    let paused = true;
    const a = recorder(clock, { name: 'a', firstMs: 0, everyMs: 10, when: () => !paused });
    const runner = new JobRunner([a.job], silentLogger, clock);
    runner.start();
    await clock.advance(25);
    assert.deepEqual(a.runs, []);
    paused = false;
    await clock.advance(10);
    assert.deepEqual(a.runs, [30]);
    await runner.stop();
  });

  it('never runs a job twice at once; more work waiting brings the next run forward', async () => {
    const clock = new ManualClock();
    const a = recorder(clock, { name: 'a', firstMs: 0, everyMs: 1000, againMs: 5 }, true);
    const runner = new JobRunner([a.job], silentLogger, clock);
    runner.start();
    await clock.advance(0);
    assert.equal(runner.isRunning('a'), true);
    runner.kick('a');
    await clock.advance(5000);
    assert.deepEqual(a.runs, [0], 'still the one run: no timer while it runs');
    await a.release(true);
    await clock.advance(5);
    assert.deepEqual(a.runs, [0, 5005], 'again after 5 ms');
    await a.release(false);
    await clock.advance(999);
    assert.deepEqual(a.runs, [0, 5005]);
    await clock.advance(1);
    assert.deepEqual(a.runs, [0, 5005, 6005], 'then at its usual pace');
    await a.release();
    await runner.stop();
  });

  it('a failed run is logged and the job goes on at its next time', async () => {
    const clock = new ManualClock();
    const log = memoryLog();
    let n = 0;
    const runner = new JobRunner([{ name: 'push', failure: 'push failed; retrying in a minute', firstMs: 0, everyMs: 60, run: () => { if (++n === 1) throw new Error('offline'); } }], log, clock);
    runner.start();
    await clock.advance(60);
    assert.equal(n, 2);
    assert.deepEqual(log.warnings, ['push failed; retrying in a minute {"job":"push","error":"offline"}']);
    await runner.stop();
  });

  it('stop clears every timer, tells runs in flight to wind down, and waits for them', async () => {
    const clock = new ManualClock();
    const a = recorder(clock, { name: 'a', firstMs: 0, everyMs: 10 }, true);
    const b = recorder(clock, { name: 'b', firstMs: 1000, everyMs: 10 });
    const runner = new JobRunner([a.job, b.job], silentLogger, clock);
    runner.start();
    await clock.advance(0);
    assert.equal(a.shouldStop(), false);
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await settle();
    assert.equal(a.shouldStop(), true, 'the run is told to stop');
    assert.equal(stopped, false, 'stop waits for the run in flight');
    await a.release(true);
    await stopping;
    assert.equal(clock.armed, 0, 'no timer left, not even for the "more" the run reported');
    await clock.advance(5000);
    assert.deepEqual(b.runs, []);
    runner.kick('a');
    await runner.runNow('a');
    assert.deepEqual(a.runs, [0], 'nothing runs after stop');
  });

  it('a run that stops the runner itself (the library moved) does not deadlock', async () => {
    const clock = new ManualClock();
    let stopped: Promise<void> | undefined;
    const runner: JobRunner = new JobRunner([{ name: 'status', failure: 'x', firstMs: 0, everyMs: 1000, run: () => void (stopped = runner.stop()) }], silentLogger, clock);
    runner.start();
    await clock.advance(0);
    await stopped;
    assert.equal(clock.armed, 0);
  });

  it('runNow waits for a run already in flight instead of starting a second one', async () => {
    const clock = new ManualClock();
    const a = recorder(clock, { name: 'a', firstMs: 0 }, true);
    const runner = new JobRunner([a.job], silentLogger, clock);
    runner.start();
    await clock.advance(0);
    let done = false;
    const now = runner.runNow('a').then(() => (done = true));
    await settle();
    assert.equal(done, false);
    await a.release();
    await now;
    assert.deepEqual(a.runs, [0]);
    await runner.stop();
  });

  it('refuses two jobs of one name, and unknown names', () => {
    const job: Job = { name: 'x', failure: 'x', run: () => undefined };
    assert.throws(() => new JobRunner([job, job], silentLogger), /two background jobs are named x/);
    assert.throws(() => new JobRunner([job], silentLogger).kick('y'), /no background job named y/);
  });
});
