import fs from 'node:fs';
import path from 'node:path';
import { tempDir, waitFor } from './fixtures.js';

/**
 * Holds real processes at named steps (see [Note: Pause points] in main/core/pause-points.ts):
 * `env(...)` goes into a child's environment; `reached` waits until the child is held there;
 * `release` lets it go on.
 */
export class PauseControl {
  readonly dir = tempDir('shoebox-pause-');

  /** Environment that holds a child at these points (`point` or `point:n` for the n-th time). */
  env(...points: string[]): NodeJS.ProcessEnv {
    return { SHOEBOX_PAUSE_AT: points.join(','), SHOEBOX_PAUSE_DIR: this.dir };
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
