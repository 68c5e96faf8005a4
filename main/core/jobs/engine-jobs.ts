import type { EngineContext } from '../engine-context.js';
import type { CaptureDateService } from '../dates/capture-date-service.js';
import type { RemoteService } from '../remote/remote-service.js';
import type { SimilarService } from '../similar/similar-service.js';
import type { SyncGate } from '../watch/sync-gate.js';
import type { WatchService } from '../watch/watch-service.js';
import { snapshotJobFor } from '../catalog/snapshot-job.js';
import type { Job, JobRunner } from './job-runner.js';

/** The services the engine's background jobs work with. */
export interface EngineJobDeps {
  ctx: EngineContext;
  watches: WatchService;
  gate: SyncGate;
  similar: SimilarService;
  remotes: RemoteService;
  dates: CaptureDateService;
  /** The guarded Trash purge (BlobUpkeep.purgeInBackground): never throws. */
  purge: () => void;
}

const DAY = 86_400_000;

/**
 * The running engine's background work besides syncing ([Note: Background jobs]). Names are
 * what Engine.run starts early by hand: `trash-purge` runs on start, `capture-dates` and
 * `similar-index` are brought forward once the watches have caught up.
 */
export function engineJobs(d: EngineJobDeps): Job[] {
  const { ctx, gate } = d;
  const notPaused = () => gate.pausedReason() === null;
  return [
    // DESIGN §1: Trash keeps files 30 days; on start (by hand), then daily.
    { name: 'trash-purge', everyMs: DAY, failure: 'Trash was not purged', run: d.purge },
    // Similar images: a few hundred at a time, then a look every half minute for new ones, and once
    // a sync is done (indexAfterSync). Not while syncing is paused, nor while files are being backed
    // up (backups come first; a run stops between batches when one starts): the model's thread
    // (~110 MB) beside a 100k-file sync put `run` at 410 MB instead of 360, and the sync took half
    // as long again (issue #18).
    {
      name: 'similar-index', firstMs: 30_000, everyMs: 30_000, againMs: 100,
      when: () => notPaused() && d.similar.enabled && d.watches.status().state !== 'syncing',
      failure: 'similar-image indexing stopped',
      run: async ({ shouldStop }) => (await d.similar.index({ max: 256, shouldStop })) > 0,
    },
    // Offsite remotes: every minute while syncing is not paused.
    {
      name: 'remote-push', firstMs: 60_000, everyMs: 60_000,
      when: () => notPaused() && d.remotes.list().length > 0,
      failure: 'push to a remote failed; retrying in a minute',
      run: async ({ shouldStop }) => {
        for (const r of d.remotes.list()) {
          if (shouldStop()) return;
          const s = await d.remotes.push(r.url, { shouldStop });
          if (s.blobs > 0) ctx.log.info('pushed to remote', { remote: r.url, blobs: s.blobs, bytes: s.bytes });
        }
      },
    },
    // Capture dates (issue #16): new files and an older library's back-fill, a batch at a time once
    // backing up is done (backups come first) and syncing is not paused; resumable because the
    // catalog marks each dated file.
    {
      name: 'capture-dates', firstMs: 3000, everyMs: 3000, againMs: 50,
      when: () => notPaused() && d.watches.status().state !== 'syncing',
      failure: 'capture-date back-fill stopped; retrying in a few seconds',
      run: async ({ shouldStop }) => (await d.dates.backfill({ max: 512, shouldStop })) > 0,
    },
    snapshotJobFor(ctx), // [Note: Catalog snapshots]: daily, in a worker
  ];
}

/** Brings similar-image indexing forward to a second after each sync ends; returns the unsubscribe. */
export function indexAfterSync(watches: WatchService, jobs: JobRunner): () => void {
  let wasSyncing = false;
  return watches.onStatus((st) => {
    if (wasSyncing && st.state !== 'syncing') jobs.kick('similar-index', 1000);
    wasSyncing = st.state === 'syncing';
  });
}
