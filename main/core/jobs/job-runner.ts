import type { Logger } from '../logger.js';

// [Note: Background jobs]
// Everything a running engine does by itself besides syncing (the run status file, Trash purge,
// similar-image indexing, pushes to remotes, capture-date back-fill, the daily catalog snapshot)
// is a Job: a schedule, a condition and a run function. One JobRunner starts and stops them all:
// a job never runs twice at once, a run that fails is logged and the job carries on at its next
// time, and stop() clears every timer and waits for the runs in flight, so nothing still writes
// to the catalog once the engine says it stopped. The clock is injected (tests drive it by hand).

/** What a run is told: whether to wind down early (the runner is stopping, or the condition no longer holds). */
export interface JobControl {
  shouldStop: () => boolean;
}

/** A piece of background work. */
export interface Job {
  /** Names the job in logs and for runNow/kick. */
  name: string;
  /** The first run, this long after start(); absent: only when run or kicked by hand. */
  firstMs?: number;
  /** After each run (or skipped turn), the next one this much later; absent: no repeat. */
  everyMs?: number;
  /** When a run reports more work waiting (returns true), the next one this much later instead. */
  againMs?: number;
  /** Checked before each run: false skips the turn (paused, syncing, turned off…). */
  when?: () => boolean;
  /** The work. True means "more is waiting": run again after `againMs`. */
  run: (ctl: JobControl) => Promise<boolean | void> | boolean | void;
  /** What a failed run is logged as ("push to a remote failed; retrying in a minute"). */
  failure: string;
}

/** Timers, injected so tests can drive time by hand. */
export interface JobClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real timers. */
export const systemClock: JobClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Slot {
  job: Job;
  timer: unknown;
  inFlight: Promise<void> | undefined;
}

/** Runs a set of background jobs on their schedules (see [Note: Background jobs]). */
export class JobRunner {
  private readonly slots = new Map<string, Slot>();
  private stopping = false;
  private started = false;

  constructor(jobs: Job[], private readonly log: Logger, private readonly clock: JobClock = systemClock) {
    for (const job of jobs) {
      if (this.slots.has(job.name)) throw new Error(`two background jobs are named ${job.name}`);
      this.slots.set(job.name, { job, timer: undefined, inFlight: undefined });
    }
  }

  /** Arms each job's first run. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const s of this.slots.values()) if (s.job.firstMs !== undefined) this.arm(s, s.job.firstMs);
  }

  /** Runs a job now (unless it is running already or its condition fails: then waits for / skips that turn); its schedule goes on from here. */
  async runNow(name: string): Promise<void> {
    const s = this.slot(name);
    if (s.inFlight) return s.inFlight;
    this.disarm(s);
    await this.turn(s);
  }

  /** Sets a job's next run to `ms` from now (no-op while it runs: its next turn follows the run). */
  kick(name: string, ms = 0): void {
    const s = this.slot(name);
    if (this.stopping || s.inFlight) return;
    this.arm(s, ms);
  }

  /** True while `name` has a run in flight (for tests and status). */
  isRunning(name: string): boolean {
    return this.slot(name).inFlight !== undefined;
  }

  /** The runs in flight (tests wait on them). */
  get pending(): Promise<void> {
    const runs = [...this.slots.values()].flatMap((s) => (s.inFlight ? [s.inFlight] : []));
    return Promise.all(runs).then(() => undefined);
  }

  /** No new runs; clears every timer and waits for the runs in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const s of this.slots.values()) this.disarm(s);
    await this.pending;
  }

  private slot(name: string): Slot {
    const s = this.slots.get(name);
    if (!s) throw new Error(`there is no background job named ${name}`);
    return s;
  }

  private arm(s: Slot, ms: number): void {
    this.disarm(s);
    s.timer = this.clock.setTimeout(() => {
      s.timer = undefined;
      void this.turn(s); // its failures are logged by turn
    }, ms);
  }

  private disarm(s: Slot): void {
    if (s.timer !== undefined) this.clock.clearTimeout(s.timer);
    s.timer = undefined;
  }

  /** One turn: run if idle and the condition holds, then arm the next turn; returns the run, if one started. */
  private turn(s: Slot): Promise<void> | undefined {
    const { job } = s;
    if (this.stopping || s.inFlight) return undefined;
    const holds = () => !this.stopping && (job.when?.() ?? true);
    let ok: boolean;
    try {
      ok = holds();
    } catch (err) {
      this.log.warn(job.failure, { job: job.name, error: (err as Error).message });
      ok = false;
    }
    if (!ok) {
      this.next(s, false);
      return undefined;
    }
    let more = false;
    s.inFlight = (async () => {
      more = (await job.run({ shouldStop: () => !holds() })) === true;
    })()
      .catch((err: unknown) => this.log.warn(job.failure, { job: job.name, error: (err as Error).message }))
      .finally(() => {
        s.inFlight = undefined;
        this.next(s, more);
      });
    return s.inFlight;
  }

  private next(s: Slot, more: boolean): void {
    if (this.stopping) return;
    const ms = more ? (s.job.againMs ?? s.job.everyMs) : s.job.everyMs;
    if (ms !== undefined) this.arm(s, ms);
  }
}
