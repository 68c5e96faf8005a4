// [Note: One work queue]
// Every fan-out over the worker pool (export, restore, and the similar-image decodes in the
// model's thread; upload and watch sync by the same rule, below) runs through `runQueue`: at most `concurrency` items at once,
// started in order. It stops *starting* items once the caller says stop (a pause, a full
// destination disk, an abort) or one item threw, and it always waits for every item it started
// before it returns or throws: no item can still be writing to the catalog after its caller has
// moved on (or closed the library). The first error is rethrown; an error from another lane while
// it drains (most often the same failure: the disk is full for every lane) is attached as its
// `suppressed` list. The ingest pipeline's batch lanes (UploadPipeline.run: upload and watch sync)
// keep the same rule by hand: their batches are pulled from an async source as the lanes free up
// ([Note: One way through the pipeline]), which an array-based queue cannot take.
//
// Hand-written rather than p-limit/p-map: p-limit only bounds concurrency (the stop-and-drain
// rule would still be ours), and p-map either rejects at once while started items run on
// unawaited (`stopOnError: true`) or runs every remaining item and throws an AggregateError
// (`stopOnError: false`); neither stops starting and drains.

/** How a queue runs its items. */
export interface QueueOptions {
  /** At most this many items at once (at least 1 is used). */
  concurrency: number;
  /** Asked before each item starts: true stops starting new ones (pause, shutdown, a fatal result). */
  shouldStop?: () => boolean;
  /** Once aborted, no new item starts. */
  signal?: AbortSignal;
}

/** What a queue did. */
export interface QueueResult {
  /** Items started (all of them finished). */
  started: number;
  /** True if items were left unstarted because of `shouldStop` or the signal. */
  stopped: boolean;
}

/**
 * Runs `work` over `items`, at most `concurrency` at a time, in order; stops starting items on
 * `shouldStop`, an aborted signal or a thrown error, waits for every started item, then rethrows
 * the first error (see [Note: One work queue]).
 */
export async function runQueue<T>(items: readonly T[], work: (item: T, index: number) => Promise<void>, opts: QueueOptions): Promise<QueueResult> {
  let next = 0;
  let failed = false;
  let firstError: unknown;
  const suppressed: unknown[] = [];
  let stopped = false;
  const mayStart = () => {
    if (failed || next >= items.length) return false;
    if (opts.signal?.aborted || opts.shouldStop?.()) {
      stopped = true;
      return false;
    }
    return true;
  };
  const lane = async () => {
    while (mayStart()) {
      const i = next++;
      try {
        await work(items[i]!, i);
      } catch (err) {
        if (failed) suppressed.push(err);
        else firstError = err;
        failed = true;
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(opts.concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failed) {
    if (suppressed.length > 0 && typeof firstError === 'object' && firstError !== null) Object.assign(firstError, { suppressed });
    throw firstError;
  }
  return { started: next, stopped };
}
