// Kills placed by construction (issue #15): a CLI process runs with SHOEBOX_FAULTS rules (see
// [Note: Fault injection]) and is killed either by the engine itself at the n-th pass of a named
// point, or by the test right after the process reported the n-th pass of a point on stderr (a
// kill timed from the process's own progress, landing somewhere after that step); a `stop` rule a
// few passes later is the backstop, so even a test process that is slow to react kills it before
// the operation ends. No kill depends on how fast the machine is.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
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
