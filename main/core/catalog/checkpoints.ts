import fs from 'node:fs';
import type { Logger } from '../logger.js';
import type { CatalogDb } from './catalog.js';
import { openDatabase } from './sqlite-binding.js';

/** WAL size from which a checkpoint is started in a worker (SQLite's own threshold is 1000 pages). */
export const CHECKPOINT_WAL_BYTES = 4 << 20;
/** WAL size from which the main thread checkpoints itself: the workers are not keeping up. */
export const MAIN_THREAD_WAL_BYTES = 64 << 20;

/** What one checkpoint did (SQLite's wal_checkpoint result). */
export interface CheckpointResult {
  /** Frames in the WAL, and how many of them are now in the catalog file. */
  walFrames: number;
  checkpointed: number;
}

/**
 * In a worker: copies the committed WAL frames into the catalog file on a connection of its own.
 * PASSIVE: it never waits for a writer or a reader and never makes one wait; what is in use
 * stays for the next one.
 */
export function checkpointCatalog(task: { catalogPath: string }): CheckpointResult {
  const db = openDatabase(task.catalogPath, { fileMustExist: true });
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    return { walFrames: r?.log ?? 0, checkpointed: r?.checkpointed ?? 0 };
  } finally {
    db.close();
  }
}

/**
 * [Note: Checkpoints off the main thread]
 * In WAL mode SQLite copies the log back into the catalog file (a checkpoint: thousands of page
 * writes and an fsync) inside whichever commit crosses 1000 pages. On the main thread that commit
 * then took up to 250 ms on our loaded machine, and checkpoints were three quarters of the
 * catalog's commit time during a backup (issue #18). So the engine's connection does not
 * checkpoint by itself: once a second the WAL's size (written since the last complete checkpoint:
 * journal_size_limit 0) is looked at, and past CHECKPOINT_WAL_BYTES
 * a worker checkpoints on its own connection (PASSIVE, so the engine's commits never wait for
 * it). Should the WAL still reach MAIN_THREAD_WAL_BYTES (the workers busy for long), the main
 * thread checkpoints as SQLite would have. If a worker cannot checkpoint at all, SQLite's own
 * checkpoints come back. Other processes on the library keep SQLite's default.
 */
export class CheckpointScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** A worker could not checkpoint: SQLite does it again. */
  private gaveUp = false;

  constructor(
    private readonly cdb: CatalogDb,
    private readonly runInWorker: (task: { catalogPath: string }) => Promise<CheckpointResult>,
    private readonly log: Logger,
    private readonly everyMs = 1000,
  ) {}

  /** Hands checkpoints to workers from now on. */
  start(): void {
    if (this.timer || this.gaveUp) return;
    this.cdb.db.pragma('wal_autocheckpoint = 0');
    // The WAL is cut back to nothing when it restarts after a complete checkpoint, so its size
    // says how much was written since (otherwise the file keeps its largest size).
    this.cdb.db.pragma('journal_size_limit = 0');
    this.timer = setInterval(() => this.check(), this.everyMs);
    this.timer.unref();
  }

  /** Waits for a checkpoint under way and gives checkpoints back to SQLite. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.giveBack();
  }

  /** SQLite's own checkpoints, as on every other connection. */
  private giveBack(): void {
    if (!this.cdb.db.open) return;
    this.cdb.db.pragma('wal_autocheckpoint = 1000');
    this.cdb.db.pragma('journal_size_limit = -1');
  }

  /** Starts a checkpoint when the WAL has grown enough (exported for its test). */
  check(): void {
    if (this.gaveUp) return;
    const size = walBytes(this.cdb.file);
    if (size >= MAIN_THREAD_WAL_BYTES) {
      this.cdb.db.pragma('wal_checkpoint(PASSIVE)');
      return;
    }
    if (size < CHECKPOINT_WAL_BYTES || this.running) return;
    this.running = this.runInWorker({ catalogPath: this.cdb.file })
      .then(
        () => undefined,
        (err: unknown) => {
          this.log.warn('catalog checkpoints could not run in a worker; SQLite makes them itself again', { error: (err as Error).message });
          this.gaveUp = true;
          clearInterval(this.timer);
          this.timer = undefined;
          this.giveBack();
        },
      )
      .finally(() => (this.running = undefined));
  }
}

/** Bytes in the catalog's WAL file (0 when there is none). */
function walBytes(catalogFile: string): number {
  return fs.statSync(`${catalogFile}-wal`, { throwIfNoEntry: false })?.size ?? 0;
}
