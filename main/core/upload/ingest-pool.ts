import os from 'node:os';
import { Piscina } from 'piscina';
import type { CopyOutResult, CopyOutTask } from '../export/copy-out.js';
import type { ThumbnailResult, ThumbnailTask } from '../thumbs/make-thumbnail.js';
import type { PreviewResult, PreviewTask } from '../thumbs/make-preview.js';
import type { IngestResult, IngestTask } from './ingest-file.js';
import type { EmbedResult, EmbedTask } from '../similar/infer.js';
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
   * The image model runs in one thread of its own: a model session holds ~110 MB, so letting
   * every ingest thread load one put a backup burst with indexing at 1.3 GB, and two (issue
   * #17) put indexing at 680 MB. Decoding — four times the model's time per 12 MP JPEG — runs
   * there too, on libvips's native threads. [Note: One decode for the model] It exits when idle.
   */
  private readonly ml: Piscina;

  constructor(threads = Math.min(4, 2 * os.availableParallelism())) {
    this.pool = new Piscina({ filename: WORKER_URL.href, minThreads: 0, maxThreads: threads, idleTimeout: 10_000 });
    this.ml = new Piscina({ filename: WORKER_URL.href, minThreads: 0, maxThreads: 1, idleTimeout: 10_000 });
  }

  /** How many tasks keep every thread busy with one queued behind each. */
  get concurrency(): number {
    return this.pool.options.maxThreads * 2;
  }

  /** Runs one task; the signal cancels it while it is still queued. */
  run(task: IngestTask, signal?: AbortSignal): Promise<IngestResult> {
    return this.pool.run(task, { name: 'ingest', ...(signal ? { signal } : {}) }) as Promise<IngestResult>;
  }

  /** Writes one library file out (export, restore). */
  copyOut(task: CopyOutTask): Promise<CopyOutResult> {
    return this.pool.run(task, { name: 'copyOut' }) as Promise<CopyOutResult>;
  }

  /** Decodes and embeds images (in the model's thread: libvips decodes on native threads while the model runs). */
  embed(task: EmbedTask): Promise<EmbedResult[]> {
    return this.ml.run(task, { name: 'embed' }) as Promise<EmbedResult[]>;
  }

  /** Groups similar images in a worker. */
  groupSimilar(task: GroupTask): Promise<GroupTaskResult> {
    return this.pool.run(task, { name: 'groupSimilar' }) as Promise<GroupTaskResult>;
  }

  /** Threads in the pool. */
  get threads(): number {
    return this.pool.options.maxThreads;
  }

  /** Makes one large preview. */
  preview(task: PreviewTask): Promise<PreviewResult> {
    return this.pool.run(task, { name: 'preview' }) as Promise<PreviewResult>;
  }

  /** Makes one thumbnail. */
  thumbnail(task: ThumbnailTask): Promise<ThumbnailResult> {
    return this.pool.run(task, { name: 'thumbnail' }) as Promise<ThumbnailResult>;
  }

  /** Stops the threads after in-flight tasks settle. */
  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.ml.close()]);
  }
}
