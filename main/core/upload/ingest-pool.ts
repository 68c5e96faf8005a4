import os from 'node:os';
import { Piscina } from 'piscina';
import type { IngestResult, IngestTask } from './ingest-file.js';

/** The compiled worker entry, relative to this module in the build tree. */
const WORKER_URL = new URL('../../../workers/ingest-worker.js', import.meta.url);

/**
 * The Piscina pool that reads, hashes and stores source files off the main thread.
 * One thread per core by default (hashing is CPU-bound, reading is I/O-bound).
 */
export class IngestPool {
  private readonly pool: Piscina;

  constructor(threads = Math.max(1, Math.min(os.availableParallelism(), 4))) {
    this.pool = new Piscina({ filename: WORKER_URL.href, minThreads: 1, maxThreads: threads, idleTimeout: 30_000 });
  }

  /** How many tasks keep every thread busy with one queued behind each. */
  get concurrency(): number {
    return this.pool.options.maxThreads * 2;
  }

  /** Runs one task; the signal cancels it while it is still queued. */
  run(task: IngestTask, signal?: AbortSignal): Promise<IngestResult> {
    return this.pool.run(task, signal ? { signal } : {}) as Promise<IngestResult>;
  }

  /** Stops the threads after in-flight tasks settle. */
  async close(): Promise<void> {
    await this.pool.close();
  }
}
