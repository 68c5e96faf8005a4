import fs from 'node:fs';
import path from 'node:path';

// [Note: Pause points]
// Race tests need two real processes to interleave at an exact step, not "about 1.5 s later".
// With SHOEBOX_PAUSE_AT=point[:n] (comma-separated for several) and SHOEBOX_PAUSE_DIR=dir, the
// n-th time (default: the first) this process reaches `pausePoint(point)` it writes
// `dir/<point>.paused` (its pid) and blocks until `dir/<point>.go` exists; then it goes on.
// Without SHOEBOX_PAUSE_AT it does nothing. Blocking is synchronous on purpose: some points sit
// between two synchronous steps (a commit and an unlink), which an await would not hold apart.
// Fault injection (faults.ts) makes a step fail; a pause point makes a step wait.

/** The steps a test can hold a process at. */
export type PausePoint =
  /** Trash purge: the rows are deleted (committed), the blob files not yet. */
  | 'purge-unlink'
  /** Upload: an item's bytes are identified (and copied, or found stored) but not yet committed. */
  | 'upload-commit'
  /** Stray-blob collection: candidates found, nothing moved yet. */
  | 'gc-move';

interface PauseRule {
  point: PausePoint;
  nth: number;
}

let rules: PauseRule[] | undefined;
const reached = new Map<PausePoint, number>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Holds this process at `point` when a test asked for it (see [Note: Pause points]). */
export function pausePoint(point: PausePoint): void {
  rules ??= (process.env.SHOEBOX_PAUSE_AT ?? '').split(',').filter(Boolean).map((part) => {
    const [p, n] = part.split(':');
    return { point: p as PausePoint, nth: n === undefined ? 1 : Number(n) };
  });
  if (rules.length === 0) return;
  const n = (reached.get(point) ?? 0) + 1;
  reached.set(point, n);
  if (!rules.some((r) => r.point === point && r.nth === n)) return;
  const dir = process.env.SHOEBOX_PAUSE_DIR;
  if (!dir) throw new Error('SHOEBOX_PAUSE_AT is set but SHOEBOX_PAUSE_DIR is not');
  fs.writeFileSync(path.join(dir, `${point}.paused`), `${process.pid}\n`);
  const go = path.join(dir, `${point}.go`);
  while (!fs.existsSync(go)) Atomics.wait(sleeper, 0, 0, 10);
}
