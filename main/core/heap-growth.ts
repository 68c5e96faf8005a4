import v8 from 'node:v8';

/**
 * How much V8 lets the old generation grow past what survived its last full collection, in
 * percent, for a process running the engine.
 *
 * [Note: A heap that stays near what is live]
 * By default V8 lets the old generation grow to up to 4× what survived the last full
 * collection before it collects again. Syncing promotes a steady stream of short-lived objects
 * (a file's facts live across a worker round trip, longer than a young-generation cycle), so
 * during a 100k-file initial sync under `shoebox run` the main heap held 65 MB live in 370 MB,
 * and the process peaked at 640 MB of RSS (496 MB once a reconcile was applied in slices;
 * issue #18 asks for run and serve under 400 MB). Growing by 30% of what is live keeps the
 * heap near it: the same sync peaked at 340 MB and took no longer (49–51 s, against 52–57 s at
 * the default). At 50% it peaked at 364–393 MB. The flag is read at every collection, so
 * setting it at run time takes effect; it is process-wide, which suits the processes that
 * host the engine. Set when an engine opens, not only when it runs: a 100k-file `watch add`
 * (a command, not run()) kept the default and peaked at 436–498 MB with 35 MB live in its
 * main heap; at 30% it peaks at 276–278 MB (fresh ext4 each, on a loaded machine).
 */
export const HEAP_GROWING_PERCENT = 30;

/** Makes this process collect garbage before its heap grows far past what is live (see the note). */
export function keepHeapNearLive(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
