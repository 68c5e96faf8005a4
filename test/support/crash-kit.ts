// Kills placed by construction (issue #15): a CLI process runs with SHOEBOX_FAULTS rules (see
// [Note: Fault injection]) and is killed either by the engine itself at the n-th pass of a named
// point, or by the test right after the process reported the n-th pass of a point on stderr (a
// kill timed from the process's own progress, landing somewhere after that step); a `stop` rule a
// few passes later is the backstop, so even a test process that is slow to react kills it before
// the operation ends. No kill depends on how fast the machine is.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultPoint } from '../../main/core/faults.js';
import { CLI } from './fixtures.js';

/** One `shoebox-fault:` line a process wrote. */
export interface FaultMarker {
  action: 'kill' | 'stop' | 'trace';
  point: FaultPoint;
  pass: number;
}

/** Where a kill goes: at a point's n-th pass, or after the process reported `after` passes. */
export type KillPlan =
  | { kind: 'point'; point: FaultPoint; step: number }
  | { kind: 'progress'; point: FaultPoint; after: number; backstop: number };

/** What came of one planned kill. */
export interface KillReport {
  plan: KillPlan;
  /** Killed by SIGKILL at (point) or after (progress) the planned step: mid-operation by construction. */
  landed: boolean;
  /** The last pass the process reported of the plan's point before it died (progress plans). */
  lastPass: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

const MARKER = /^shoebox-fault: (kill|stop|trace) ([a-z-]+) #(\d+) pid \d+$/;
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL'); // never leave a stopped child behind
});

/** A short, readable name for a plan (diagnostics). */
export function describePlan(p: KillPlan): string {
  return p.kind === 'point' ? `${p.point} #${p.step}` : `after ${p.point} #${p.after} (backstop #${p.backstop})`;
}

/** The kind of kill, for tallies: the point, or `after <point>` for a progress-timed kill. */
export function killKind(p: KillPlan): string {
  return p.kind === 'point' ? p.point : `after ${p.point}`;
}

/** The SHOEBOX_FAULTS value that carries out a plan. */
export function faultRules(p: KillPlan): string {
  return p.kind === 'point' ? `${p.point}:kill:#${p.step}` : `${p.point}:trace,${p.point}:stop:#${p.backstop}`;
}

/**
 * `count` whole steps in [first, last], one drawn at random in each of `count` equal slices, in
 * ascending order: kills spread over the whole operation, reproducible from the seed.
 */
export function spreadSteps(rand: () => number, count: number, first: number, last: number): number[] {
  const span = last - first + 1;
  return Array.from({ length: count }, (_, i) => first + Math.min(span - 1, Math.floor(((i + rand()) * span) / count)));
}

/** A whole number in [lo, hi] (hi below lo gives lo). */
export function between(rand: () => number, lo: number, hi: number): number {
  return hi <= lo ? lo : lo + Math.floor(rand() * (hi - lo + 1));
}

/**
 * Runs `shoebox args` and kills it as planned. `meanwhile` (e.g. live changes for `run`) is
 * called with the pid over and over, `paceMs` apart, until the process is gone; the pause only paces those
 * changes and never decides when the kill lands. `giveUpMs` is a liveness guard only: a process
 * that has not reached its step by then is killed and reported as not landed (a hang, a defect).
 */
export async function runKilled(
  args: string[],
  opts: { library: string; plan: KillPlan; env?: NodeJS.ProcessEnv; meanwhile?: (pid: number | undefined) => Promise<void> | void; paceMs?: () => number; giveUpMs?: number },
): Promise<KillReport & { pid: number | undefined; gaveUp: boolean }> {
  const { plan } = opts;
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env, SHOEBOX_FAULTS: faultRules(plan) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  let pending = '';
  let lastPass = 0;
  let reached = false;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const m = MARKER.exec(line);
      if (!m || m[2] !== plan.point) continue;
      const pass = Number(m[3]);
      if (m[1] === 'kill' && plan.kind === 'point' && pass === plan.step) reached = true;
      if (plan.kind === 'progress' && (m[1] === 'trace' || m[1] === 'stop')) {
        lastPass = Math.max(lastPass, pass);
        if (pass >= plan.after && !reached) {
          reached = true;
          child.kill('SIGKILL'); // right after the process said it passed the step
        }
      }
    }
  });
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  let gone = false;
  let gaveUp = false;
  void exited.then(() => (gone = true), () => (gone = true));
  const guard = opts.giveUpMs === undefined ? undefined : setTimeout(() => {
    gaveUp = !reached;
    child.kill('SIGKILL');
  }, opts.giveUpMs);
  while (!gone && opts.meanwhile) {
    await opts.meanwhile(child.pid);
    await Promise.race([exited, sleep(opts.paceMs?.() ?? 50)]);
  }
  const [code, signal] = await exited;
  clearTimeout(guard);
  live.delete(child);
  return { plan, landed: reached && !gaveUp && signal === 'SIGKILL', lastPass, code, signal, stderr, pid: child.pid, gaveUp };
}

/** A CLI process held at a fault point (see `spawnPaused`). */
export interface PausedProcess {
  /** Resolves once the process is stopped at the point (rejects if it exits first). */
  paused: Promise<void>;
  /** Lets it go on (SIGCONT). */
  resume(): void;
  /** Its end: exit code, signal and what it wrote. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  child: ChildProcess;
}

/**
 * Starts `shoebox args` so that it stops itself (SIGSTOP) at the `step`-th pass of `point`: for
 * race tests, which do something else while it waits exactly there, then `resume()` it (or kill it).
 * The whole process stops: at a point passed in a worker thread its main thread may be holding
 * the catalog's write lock, so hold only that thread there (PauseControl, test/support/pause.ts).
 */
export function spawnPaused(args: string[], opts: { library: string; point: FaultPoint; step: number; env?: NodeJS.ProcessEnv }): PausedProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env, SHOEBOX_FAULTS: `${opts.point}:stop:#${opts.step}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const exited = closed.then(([code, signal]) => {
    live.delete(child);
    return { code, signal, stdout, stderr };
  });
  const paused = new Promise<void>((resolve, reject) => {
    const marker = `shoebox-fault: stop ${opts.point} #${opts.step} `;
    const onData = (d: Buffer) => {
      stderr += d.toString();
      if (!stderr.includes(marker)) return;
      child.stderr.off('data', onData);
      child.stderr.on('data', (more: Buffer) => (stderr += more.toString()));
      void (async () => {
        let state = processState(child.pid!);
        for (; state !== 'T' && state !== 'gone'; state = processState(child.pid!)) await sleep(2); // the SIGSTOP follows the marker at once
        if (state !== 'T') return; // `exited` rejects
        hold(false);
        resolve();
      })().catch(reject);
    };
    child.stderr.on('data', onData);
    void exited.then((e) => reject(new Error(`shoebox ${args.join(' ')} ended (exit ${e.code}, signal ${e.signal}) before it reached ${opts.point} #${opts.step}: ${e.stderr.slice(-300)}`)));
  });
  // While it is stopped the child must not keep the test process alive: a test that fails then
  // still ends, and the exit hook kills the child.
  const hold = (on: boolean) => {
    for (const h of [child, child.stdout as unknown as { ref(): void; unref(): void }, child.stderr as unknown as { ref(): void; unref(): void }]) {
      if (on) h.ref();
      else h.unref();
    }
  };
  return {
    paused,
    resume: () => {
      hold(true);
      child.kill('SIGCONT');
    },
    exited,
    child,
  };
}

/** The state letter of a process in /proc (T: stopped), or 'gone'. */
function processState(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[0]!;
  } catch {
    return 'gone';
  }
}
