// CommonJS like io-threads.cts: the `shoebox` launcher runs it before the command's modules load.
import v8 from 'node:v8';

/**
 * [Note: Heap growth]
 * V8 lets a heap grow to about four times what survived its last full collection before it
 * collects again, in every isolate of the process. A backup allocates a little for each file
 * that lives across a batch's await and then dies, so the main thread's heap held ~190 MB of
 * such garbage (35 MB live) by the end of a 100k-file `watch add`, and the worker threads'
 * heaps grew alike: the command peaked at 436–498 MB. Growing by half instead collects sooner;
 * measured on the same sync (fresh ext4 each): peak 273–277 MB, CPU unchanged (35 s user); the
 * 5,000-file mixed upload 5.15–5.22 s against 5.07–5.94 s without. The flag is read whenever a
 * heap's next limit is set, so setting it at start covers the main thread and every worker.
 */
export const HEAP_GROWING_PERCENT = 50;

/** Makes this process's heaps grow by HEAP_GROWING_PERCENT between full collections (see the note). */
export function limitHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
