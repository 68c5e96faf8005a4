import type { Logger } from '../logger.js';
import type { CatalogDb } from './catalog.js';
import { openDatabase } from './sqlite-binding.js';

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
 * writes and two fsyncs) inside whichever commit crosses 1000 pages. On the main thread that
 * commit then took up to 250 ms on our loaded machine, and checkpoints were three quarters of the
 * catalog's commit time during a backup (issue #18). So the engine's connection does not
 * checkpoint by itself: once a second, if the catalog changed, a worker checkpoints on its own
 * connection (PASSIVE: the engine's commits never wait for it, and what a reader still uses stays
 * for the next one). If no worker can, SQLite's own checkpoints come back. Other processes on the
 * library keep SQLite's default.
 */
export class CheckpointScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** A worker could not checkpoint: SQLite does it again. */
  private gaveUp = false;
  /** The catalog's change stamp when the last checkpoint started. */
  private lastStamp: string | undefined;

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
    this.lastStamp ??= this.cdb.changeStamp();
    this.timer = setInterval(() => this.check(), this.everyMs);
    this.timer.unref();
  }

  /** Waits for a checkpoint under way and gives checkpoints back to SQLite. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.cdb.db.open) this.cdb.db.pragma('wal_autocheckpoint = 1000');
  }

  /** Starts a checkpoint in a worker when the catalog changed since the last one (exported for its test). */
  check(): void {
    if (this.gaveUp || this.running || !this.cdb.db.open) return;
    const stamp = this.cdb.changeStamp();
    if (stamp === this.lastStamp) return;
    this.lastStamp = stamp;
    this.running = this.runInWorker({ catalogPath: this.cdb.file })
      .then(
        () => undefined,
        (err: unknown) => {
          this.log.warn('catalog checkpoints could not run in a worker; SQLite makes them itself again', { error: (err as Error).message });
          this.gaveUp = true;
          clearInterval(this.timer);
          this.timer = undefined;
          if (this.cdb.db.open) this.cdb.db.pragma('wal_autocheckpoint = 1000');
        },
      )
      .finally(() => (this.running = undefined));
  }
}
