import os from 'node:os';
import { Piscina } from 'piscina';
import { ShoeboxError } from '../errors.js';
import { resourceLimitError, workerBudget } from '../system-limits.js';
import type { CopyOutResult, CopyOutTask } from '../export/copy-out.js';
import type { ThumbnailResult, ThumbnailTask } from '../thumbs/make-thumbnail.js';
import type { IngestResult, IngestTask } from './ingest-file.js';
import type { EmbedResult } from '../similar/embed.js';
import type { GroupTask, GroupTaskResult } from '../similar/group-task.js';

/** The compiled worker entry, relative to this module in the build tree. */
const WORKER_URL = new URL('../../../workers/engine-worker.js', import.meta.url);

/**
 * The Piscina pool for the engine's heavy work off the main thread: reading, hashing and
 * storing source files, and making thumbnails.
 * Two threads per core (at most 4) by default: each thread alternates between hashing (CPU)
 * and waiting on the disk, so a second thread per core keeps the core busy. Measured on the
 * 2-core build VM (1 GB of photos): 1 thread 3.8 s, 2 threads 2.4 s, 4 threads 1.7–2.1 s.
 */
export class IngestPool {
  private readonly pool: Piscina;
  /**
   * The image model runs in its own threads (at most 2, the index loop's two batches): a model
   * session holds ~240 MB at peak (onnxruntime's arena for a batch of 4), so letting every
   * ingest thread load one put a backup burst with indexing at 1.3 GB. They exit when idle.
   */
  private readonly ml: Piscina;

  /** Set when no thread fits the process's limits, or a thread failed to start: every task is refused with it. */
  private broken: ShoeboxError | undefined;
  /** Pools torn down after a thread failed to start (awaited at close). */
  private readonly destroyed = new Map<Piscina, Promise<void>>();

  constructor(threads = Math.min(4, 2 * os.availableParallelism())) {
    // Fewer, leaner threads under an address-space limit ([Note: Running under tight limits]).
    const budget = workerBudget(threads, Math.min(2, threads));
    this.broken = budget.refusal;
    const limits = budget.resourceLimits ? { resourceLimits: budget.resourceLimits } : {};
    this.pool = new Piscina({ filename: WORKER_URL.href, minThreads: 0, maxThreads: budget.threads, idleTimeout: 10_000, ...limits });
    this.ml = new Piscina({ filename: WORKER_URL.href, minThreads: 0, maxThreads: budget.modelThreads, idleTimeout: 10_000, ...limits });
    for (const pool of [this.pool, this.ml]) {
      // A thread that fails to start (out of memory, too many open files) is reported here when
      // no task was on it yet; Piscina then starts no more, so queued tasks are failed with it.
      pool.on('error', (err: unknown) => {
        this.broken ??= resourceLimitError(err) ?? new ShoeboxError('INTERNAL', `A worker thread failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
        this.destroyed.set(pool, pool.destroy()); // rejects the queued tasks, which then report `broken`
      });
    }
  }

  /** Runs a task on a pool, turning a thread that could not start into a clear error. */
  private async submit<T>(pool: Piscina, task: unknown, opts: { name: string; signal?: AbortSignal }): Promise<T> {
    if (this.broken) throw this.broken;
    try {
      return (await pool.run(task, opts)) as T;
    } catch (err) {
      throw this.broken ?? resourceLimitError(err) ?? err;
    }
  }

  /** How many tasks keep every thread busy with one queued behind each. */
  get concurrency(): number {
    return this.pool.options.maxThreads * 2;
  }

  /** Runs one task; the signal cancels it while it is still queued. */
  run(task: IngestTask, signal?: AbortSignal): Promise<IngestResult> {
    return this.submit(this.pool, task, { name: 'ingest', ...(signal ? { signal } : {}) });
  }

  /** Writes one library file out (export, restore). */
  copyOut(task: CopyOutTask): Promise<CopyOutResult> {
    return this.submit(this.pool, task, { name: 'copyOut' });
  }

  /** Embeds a batch of images. */
  embed(task: { modelPath: string; items: Array<{ path: string; mediaType: string }> }): Promise<EmbedResult[]> {
    return this.submit(this.ml, task, { name: 'embed' });
  }

  /** Groups similar images in a worker. */
  groupSimilar(task: GroupTask): Promise<GroupTaskResult> {
    return this.submit(this.pool, task, { name: 'groupSimilar' });
  }

  /** Threads in the pool. */
  get threads(): number {
    return this.pool.options.maxThreads;
  }

  /** Makes one thumbnail. */
  thumbnail(task: ThumbnailTask): Promise<ThumbnailResult> {
    return this.submit(this.pool, task, { name: 'thumbnail' });
  }

  /** Stops the threads after in-flight tasks settle. */
  async close(): Promise<void> {
    await Promise.all([this.pool, this.ml].map((p) => this.destroyed.get(p) ?? p.close()));
  }
}
