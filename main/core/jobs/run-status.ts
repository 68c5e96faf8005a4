import fs from 'node:fs';
import { writeFileAtomic } from '../atomic-write.js';
import type { EngineContext } from '../engine-context.js';
import { isErrno, type ShoeboxError } from '../errors.js';
import { realPath } from '../library/path-identity.js';
import type { SyncStatus } from '../watch/watch-service.js';
import type { Job } from './job-runner.js';

/** What the running engine writes for other processes (`status`, `watch ls`) to read. */
export type RunStatus = SyncStatus & { pid: number };

/**
 * The running engine's status file, every second: first it looks whether the library folder was
 * moved away ([Note: A library moved while open]) and, if so, says so once (`onMoved`) and
 * writes nothing more; else it writes the sync status when it changed. `root` lets a reader tell
 * a status written for this folder from one that moved here with the folder while this engine
 * still thinks it is elsewhere.
 */
export function runStatusJob(ctx: EngineContext, status: () => SyncStatus, onMoved: (moved: ShoeboxError) => void): Job {
  const root = realPath(ctx.paths.root);
  let last = '';
  let moved = false;
  return {
    name: 'run-status',
    everyMs: 1000,
    failure: 'could not write the run status for other processes',
    run: () => {
      if (moved) return;
      const err = ctx.home.check();
      if (err) {
        moved = true;
        onMoved(err);
        return;
      }
      const json = JSON.stringify({ ...status(), pid: process.pid, root });
      if (json === last) return;
      last = json;
      writeFileAtomic(ctx.paths.runStatus, json, undefined, false);
    },
  };
}

/** Removes the status file when the engine stops (unless the folder moved: the file is not ours to touch there). */
export function removeRunStatus(ctx: EngineContext): void {
  if (!ctx.home.check()) fs.rmSync(ctx.paths.runStatus, { force: true });
}

/** The status another process's running engine wrote, or null (none yet, or it is running on this folder under another name). */
export function readRunStatus(ctx: EngineContext): RunStatus | null {
  try {
    const { root, ...s } = JSON.parse(fs.readFileSync(ctx.paths.runStatus, 'utf8')) as RunStatus & { root?: string };
    // An engine that had this folder open under another name (it was moved while running) is
    // not running *here*: it stops as soon as it notices ([Note: A library moved while open]).
    return root === undefined || root === realPath(ctx.paths.root) ? s : null;
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null; // the run is still starting
    throw err;
  }
}
