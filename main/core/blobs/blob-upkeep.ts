import type { EngineContext } from '../engine-context.js';
import { errorMessage } from '../errors.js';
import type { PurgeResult } from '../trash/trash-service.js';
import { BadBytesCount, BlobProbe } from './blob-health.js';
import { finishBlobDeletions } from './blob-removal.js';
import { emptyQuarantine } from './quarantine.js';

/**
 * The engine's upkeep of stored bytes (issue #15): finishing a purge a crash cut short
 * ([Note: Blob tombstones]), emptying the quarantine of old entries ([Note: Blob quarantine]),
 * and keeping the health marks honest for status ([Note: Blob health marks]). `forget` drops
 * what else hangs off removed blobs (previews, remote copies).
 */
export class BlobUpkeep {
  private readonly probeStore: BlobProbe;
  private readonly badBytesCount = new BadBytesCount();

  constructor(private readonly ctx: EngineContext, private readonly forget: (hashes: string[]) => void) {
    this.probeStore = new BlobProbe(ctx.cdb, ctx.paths.objects, ctx.log.child('blobs'), ctx.now);
  }

  /** Removes the files of blobs a crashed purge left tombstoned; never fails opening the library. */
  finishPurge(): void {
    try {
      const r = finishBlobDeletions(this.ctx.cdb, this.ctx.paths.objects, this.ctx.log.child('gc'));
      this.forget([...r.removed.map((b) => b.hash), ...r.missing]);
    } catch (err) {
      // The tombstones stay; the next open or purge tries again.
      this.ctx.log.warn('could not finish removing purged blobs; will retry', { error: (err as Error).message });
    }
  }

  /** After a purge: forget what hung off the removed blobs, and empty the quarantine of entries older than 30 days. */
  afterPurge(r: PurgeResult): void {
    this.forget(r.removedHashes);
    emptyQuarantine(this.ctx.cdb, this.ctx.paths, this.ctx.log.child('gc'), this.ctx.now());
  }

  /** `run`'s purge (on start and daily): a failure (a damaged catalog, a failing disk) is logged and shown, never stops backups. */
  purgeInBackground(purge: () => PurgeResult): void {
    try {
      const r = purge();
      if (r.files > 0) this.ctx.log.info('purged expired Trash', { files: r.files, bytesFreed: r.bytesFreed });
    } catch (err) {
      const message = errorMessage(err);
      this.ctx.log.warn('Trash was not purged', { error: message });
      try {
        this.ctx.cdb.write(() => this.ctx.activity.record('error', 'PURGE_FAILED', message));
      } catch (recordErr) {
        this.ctx.log.warn('could not record the purge failure', { error: (recordErr as Error).message });
      }
    }
  }

  /** Looks at a few stored blobs (rate-limited), sweeping all when one disagrees with its mark. */
  probe(): void {
    this.probeStore.probe();
  }

  /** Live files whose stored bytes are known missing / damaged; `files`/`trashed` are the library's totals. */
  badBytes(files: number, trashed: number): { missingBytes: number; damagedBytes: number } {
    return this.badBytesCount.get(this.ctx.cdb.db, files, trashed, this.ctx.cdb.changeStamp());
  }
}
