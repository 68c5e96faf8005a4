import fs from 'node:fs';
import path from 'node:path';
import { tempDir, waitFor } from './fixtures.js';

/**
 * Holds real processes at named steps with the fault layer's `pause` action (see [Note: Fault
 * injection] in main/core/faults.ts): `env(...)` goes into a child's environment; `reached`
 * waits until the child is held there; `release` lets it go on. Points are fault points
 * (`purge-committed`, `upload-commit`, `gc-move`…).
 */
export class PauseControl {
  readonly dir = tempDir('shoebox-pause-');

  /** Environment that holds a child at these points (`point` for its first pass, `point:n` for the n-th). */
  env(...points: string[]): NodeJS.ProcessEnv {
    const rules = points.map((p) => {
      const [point, n] = p.split(':');
      return `${point}:pause:#${n ?? 1}`;
    });
    return { SHOEBOX_FAULTS: rules.join(','), SHOEBOX_PAUSE_DIR: this.dir };
  }

  /** Resolves once a child is held at `point` (with its pid); `exited` aborts the wait if the child ends first. */
  async reached(point: string, exited?: () => boolean, timeoutMs = 120_000): Promise<number> {
    const file = path.join(this.dir, `${point}.paused`);
    await waitFor(() => fs.existsSync(file) || exited?.(), timeoutMs, `a process to pause at ${point}`);
    if (!fs.existsSync(file)) throw new Error(`the process ended before it reached ${point}`);
    return Number(fs.readFileSync(file, 'utf8').trim());
  }

  /** Lets a process held at `point` go on. */
  release(point: string): void {
    fs.writeFileSync(path.join(this.dir, `${point}.go`), '');
  }
}
