import os from 'node:os';
import { Piscina } from 'piscina';
import { ShoeboxError } from '../errors.js';
import { resourceLimitError, workerBudget } from '../system-limits.js';
import type { CopyOutResult, CopyOutTask, PlaceQuery, PlaceState } from '../export/copy-out.js';
import { faultCounters } from '../faults.js';
import { priorityFlag } from '../thread-priority.js';
import { heifTool, isHeif } from '../media/heif-tools.js';
import type { ThumbnailResult, ThumbnailTask } from '../thumbs/make-thumbnail.js';
import type { LargePreviewResult, LargePreviewTask } from '../thumbs/make-preview.js';
import type { MediaFacts } from '../dates/image-facts.js';
import type { PreviewTask } from '../media/make-preview.js';
import type { IngestResult } from './ingest-file.js';
import type { IngestBatchTask } from './ingest-batch.js';
import type { EmbedResult, EmbedTask } from '../similar/infer.js';
import type { LayoutTask } from '../similar/embed.js';
import { PriorityTaskQueue, withPriority, type TaskPriority } from './priority-task-queue.js';
import type { GroupTask, GroupTaskResult } from '../similar/group-task.js';
import type { SnapshotTask, SnapshotTaskResult } from '../catalog/catalog-snapshots.js';
import type { CheckpointResult } from '../catalog/checkpoints.js';

/** Each worker thread's young generation (V8's nursery), in MB. */
const WORKER_YOUNG_GENERATION_MB = 8;

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

  /**
   * True where HEICs are decoded by the WebAssembly libheif (the system's `heif-convert` is
   * missing: macOS, Windows, a bare Linux). [Note: One HEIC decoder] Each thread's decoder keeps
   * the memory of the largest photo it decoded (about 90 MB for 12 MP) for as long as the thread
   * lives: with thumbnails and pixel checks on the four pool threads beside the model's, a
   * library with HEICs took `similar` to 736 MB. Every task that may decode a HEIC then runs in
   * the model's thread, one decoder in the process, freed when that thread exits idle.
   */
  private readonly wasmHeic = heifTool('heif-convert') === undefined;

  /** Set when no thread fits the process's limits, or a thread failed to start: every task is refused with it. */
  private broken: ShoeboxError | undefined;
  /** Set while the engine runs live: the threads work in the background ([Note: Background threads]). */
  private readonly background = priorityFlag();
  /** Pools torn down after a thread failed to start (awaited at close). */
  private readonly destroyed = new Map<Piscina, Promise<void>>();

  constructor(threads = Math.min(4, 2 * os.availableParallelism())) {
    // Fewer, leaner threads under an address-space limit ([Note: Running under tight limits]).
    // One model thread: one ONNX session, no arena (issue #17's memory figures).
    const budget = workerBudget(threads, 1);
    this.broken = budget.refusal;
    // A small young generation per thread: V8 lets each isolate's grow to 48 MB of semi-spaces
    // before it collects, five isolates' worth of garbage that never needed to live (issue #18:
    // a 100k-file sync peaked ~30 MB lower with 8 MB; scavenges stay cheap at this size).
    const limits = { resourceLimits: { ...budget.resourceLimits, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } };
    // The threads count fault-injection passes with this process (see [Note: Fault injection]).
    const workerData = { faultCounters: faultCounters(), background: this.background };
    // Waiting tasks run by priority: what a person looks at first ([Note: Pool priorities]).
    this.pool = new Piscina({ filename: WORKER_URL.href, minThreads: 0, maxThreads: budget.threads, idleTimeout: 10_000, workerData, taskQueue: new PriorityTaskQueue(), ...limits });
    // Two tasks at a time, by priority: a HEIC thumbnail or view decoded here ([Note: One HEIC
    // decoder]) starts beside a running batch of the model's and takes the decoder's next turn,
    // instead of waiting for the whole batch (16 s for 32 HEICs here).
    this.ml = new Piscina({ filename: WORKER_URL.href, minThreads: 0, maxThreads: budget.modelThreads, idleTimeout: 10_000, concurrentTasksPerWorker: 2, workerData, taskQueue: new PriorityTaskQueue(), ...limits });
    for (const pool of [this.pool, this.ml]) {
      // A thread that fails to start (out of memory, too many open files) is reported here when
      // no task was on it yet; Piscina then starts no more, so queued tasks are failed with it.
      pool.on('error', (err: unknown) => {
        this.broken ??= resourceLimitError(err) ?? new ShoeboxError('INTERNAL', `A worker thread failed: ${(err as Error)?.message ?? String(err)}`, { cause: err });
        this.destroyed.set(pool, pool.destroy()); // rejects the queued tasks, which then report `broken`
      });
    }
  }

  /** The pool for a task that decodes images of these types ([Note: One HEIC decoder]). */
  private decoding(mediaTypes: string[]): Piscina {
    return this.wasmHeic && mediaTypes.some(isHeif) ? this.ml : this.pool;
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

  /**
   * Live (the engine serves a window or the tray): from their next task on, the threads yield
   * the cores to the main thread ([Note: Background threads]). Not undone: a thread stays low.
   */
  setBackground(): void {
    Atomics.store(this.background, 0, 1);
  }

  /** How many tasks keep every thread busy with one queued behind each. */
  get concurrency(): number {
    return this.pool.options.maxThreads * 2;
  }

  /** Reads, hashes and stores a batch of source files in one round trip ([Note: Batched durability]); the signal cancels it while it is still queued. */
  ingestBatch(task: IngestBatchTask, signal?: AbortSignal): Promise<IngestResult[]> {
    return this.submit(this.pool, task, { name: 'ingestBatch', ...(signal ? { signal } : {}) });
  }

  /** Writes one library file out (export, restore). */
  copyOut(task: CopyOutTask): Promise<CopyOutResult> {
    return this.submit(this.pool, task, { name: 'copyOut' });
  }

  /** Looks at places an export or restore is about to write, in one round trip (copy-out.ts). */
  inspectPlaces(places: PlaceQuery[]): Promise<PlaceState[]> {
    return this.submit(this.pool, { places }, { name: 'inspectPlaces' });
  }

  /** Decodes and embeds images (in the model's thread: libvips decodes on native threads while the model runs). */
  embed(task: EmbedTask): Promise<EmbedResult[]> {
    return this.submit<EmbedResult[]>(this.ml, task, { name: 'embed' });
  }

  /** Makes the pixel-check thumbnails of images (Similar images: a person waits on the groups). */
  layouts(task: LayoutTask): Promise<Array<Uint8Array | null>> {
    return this.submit<Array<Uint8Array | null>>(this.decoding(task.items.map((i) => i.mediaType)), withPriority(task, 'view'), { name: 'layouts' });
  }

  /** Groups similar images in a worker. */
  groupSimilar(task: GroupTask): Promise<GroupTaskResult> {
    return this.submit(this.pool, task, { name: 'groupSimilar' });
  }

  /** Writes a verified catalog snapshot off the main thread (a copy and a check take seconds on a big catalog). */
  snapshotCatalog(task: SnapshotTask): Promise<SnapshotTaskResult> {
    return this.submit<SnapshotTaskResult>(this.pool, task, { name: 'snapshotCatalog' });
  }

  /** Copies the catalog's WAL into the catalog file on a worker's connection ([Note: Checkpoints off the main thread]). */
  checkpointCatalog(task: { catalogPath: string }): Promise<CheckpointResult> {
    return this.submit<CheckpointResult>(this.pool, task, { name: 'checkpointCatalog' });
  }

  /** Threads running now in the general pool and in the model's (diagnostics and tests). */
  runningThreads(): { general: number; model: number } {
    return { general: this.pool.threads.length, model: this.ml.threads.length };
  }

  /** Threads in the pool. */
  get threads(): number {
    return this.pool.options.maxThreads;
  }

  /** Makes one large WebP preview (Similar images' compare view: a person is looking). */
  largePreview(task: LargePreviewTask): Promise<LargePreviewResult> {
    return this.submit<LargePreviewResult>(this.decoding([task.mediaType]), withPriority(task, 'view'), { name: 'largePreview' });
  }

  /** Makes one thumbnail (and an image's display copy); `view` when the viewer waits for it. The signal cancels it while queued. */
  thumbnail(task: ThumbnailTask, priority: TaskPriority = 'thumb', signal?: AbortSignal): Promise<ThumbnailResult> {
    return this.submit(this.decoding([task.mediaType]), withPriority(task, priority), { name: 'thumbnail', ...(signal ? { signal } : {}) });
  }

  /** Reads an image's EXIF date, camera and dimensions (sharp + exif-reader). */
  facts(task: { path: string }): Promise<MediaFacts> {
    return this.submit<MediaFacts>(this.pool, task, { name: 'facts' });
  }

  /** Makes a full-size JPEG of an image the browser can't show (the viewer waits for it). The signal cancels it while queued. */
  preview(task: PreviewTask, signal?: AbortSignal): Promise<{ width: number; height: number }> {
    return this.submit<{ width: number; height: number }>(this.decoding([task.mediaType]), withPriority(task, 'view'), { name: 'preview', ...(signal ? { signal } : {}) });
  }

  /** Stops the threads after in-flight tasks settle. */
  async close(): Promise<void> {
    await Promise.all([this.pool, this.ml].map((p) => this.destroyed.get(p) ?? p.close()));
  }
}
