import type { EngineContext } from '../engine-context.js';
import { libraryWriteError } from '../errors.js';
import type { Job } from '../jobs/job-runner.js';
import type { Logger } from '../logger.js';
import { DamageFound, catalogDamagedError } from './catalog-damage.js';
import { dailySnapshotDue, listSnapshots, type SnapshotInfo, type SnapshotKind, type SnapshotTaskResult, type WrittenSnapshot } from './catalog-snapshots.js';

/** What the daily snapshot job needs (injected, so it can be tested with a fake clock and taker). */
export interface SnapshotJobDeps {
  /** Takes a daily snapshot (in a worker) and checks the live catalog too. */
  take: () => Promise<SnapshotTaskResult>;
  list: () => SnapshotInfo[];
  now: () => number;
  log: Logger;
  /** Tells the person the live catalog is damaged (the activity log, when it can still be written). */
  reportDamage: (message: string) => void;
}

/**
 * The engine's daily catalog snapshot as a background job (see [Note: Catalog snapshots] and
 * [Note: Background jobs]): looks 10 s after start (the engine's start-up and catch-up go first)
 * and then every hour whether the newest daily snapshot is a day old, and takes one in a worker
 * thread. The job runner keeps it to one at a time and waits for one in flight on stop.
 */
export function dailySnapshotJob(deps: SnapshotJobDeps): Job {
  return {
    name: 'catalog-snapshot',
    firstMs: 10_000,
    everyMs: 3600_000,
    failure: 'catalog snapshot failed; retrying in an hour',
    run: async () => {
      let due: boolean;
      try {
        due = dailySnapshotDue(deps.list(), deps.now());
      } catch (err) {
        deps.log.warn('cannot list catalog snapshots', { error: (err as Error).message });
        return;
      }
      if (due) settle(deps, await deps.take());
    },
  };
}

function settle(deps: SnapshotJobDeps, r: SnapshotTaskResult): void {
  const { log } = deps;
  if (!r.ok) {
    if (r.damaged) deps.reportDamage(`The catalog could not be copied because it is damaged (${r.message}); the snapshots taken before stay. A check of the library says what is wrong and how to recover.`);
    else log.warn('catalog snapshot failed; retrying in an hour', { code: r.code, error: r.message });
    return;
  }
  log.info('catalog snapshot taken', { file: r.snapshot.name, bytes: r.snapshot.bytes, copyMs: r.snapshot.copyMs, checkMs: r.snapshot.checkMs, pruned: r.pruned.length });
  if (r.sourceProblems.length > 0) {
    deps.reportDamage(
      `The catalog failed its integrity check (${r.sourceProblems.slice(0, 3).join('; ')}); today's snapshot is good. A check of the library says what is wrong and how to recover.`,
    );
  }
}

/** The engine's daily snapshot job over an open library (its snapshots go to `<library>/snapshots`). */
export function snapshotJobFor(ctx: EngineContext): Job {
  const log = ctx.log.child('snapshot');
  return dailySnapshotJob({
    take: () => ctx.pool.snapshotCatalog({ catalogPath: ctx.paths.catalog, dir: ctx.paths.snapshots, kind: 'daily', at: ctx.now(), checkSource: true }),
    list: () => listSnapshots(ctx.paths.snapshots),
    now: ctx.now,
    log,
    reportDamage: (message) => {
      log.error(message);
      try {
        ctx.cdb.write(() => ctx.activity.record('error', 'CATALOG_DAMAGED', message));
      } catch (err) {
        log.warn('could not record the damage in the activity log', { error: (err as Error).message });
      }
    },
  });
}

/**
 * Takes a verified snapshot now, in a worker thread, into `snapshots/` (before an operation that
 * deletes rows; see [Note: Catalog snapshots]) or into `dir` (a remote push's temporary copy). A
 * catalog that can't be copied whole is damaged: that throws LIBRARY_CORRUPT, so the operation
 * is refused rather than run on it.
 */
export async function takeSnapshot(ctx: EngineContext, kind: SnapshotKind, dir = ctx.paths.snapshots): Promise<WrittenSnapshot> {
  const r = await ctx.pool.snapshotCatalog({ catalogPath: ctx.paths.catalog, dir, kind, at: ctx.now(), checkSource: false });
  if (r.ok) return r.snapshot;
  const cause = Object.assign(new Error(r.message), { code: r.code });
  throw r.damaged ? catalogDamagedError(ctx.paths.catalog, new DamageFound(r.message)) : libraryWriteError(cause, ctx.paths.root);
}
