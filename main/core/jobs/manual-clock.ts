import type { JobClock } from './job-runner.js';

/** A clock for tests, driven by hand: `advance(ms)` fires the timers that fall due, in time order, letting each run's promises settle. */
export class ManualClock implements JobClock {
  /** Milliseconds since the clock was made. */
  now = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private ids = 0;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** How many timers are armed. */
  get armed(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await new Promise((r) => setImmediate(r));
    }
    this.now = end;
  }
}
