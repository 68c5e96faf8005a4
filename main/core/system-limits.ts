import fs from 'node:fs';
import { ShoeboxError, isErrno } from './errors.js';
import { parseLimit } from './io-threads.cjs';

/**
 * [Note: Running under tight limits]
 * `ulimit -n` and `ulimit -v` can be set low (containers, shared hosts). Measured on Node 20
 * x64: the engine's main process reserves ~1.05 GB of address space, each worker thread ~0.6 GB
 * (a 128 MB V8 code range and its heap reservations; ~0.17 GB with a 64 MB code range), and
 * every WebAssembly memory reserves gigabytes for its guard region. Under an address-space
 * limit the pools therefore start fewer threads with a smaller code range (workerBudget), the
 * blob buffers fall back to ordinary memory (blob-writer.ts), and work that needs a thread that
 * cannot fit is refused with a clear message before it is started: V8 aborts the whole process
 * when a thread's reservation fails, which cannot be caught. Failures that can be caught
 * (too many open files, a RangeError from an allocation, a worker that failed to start) become
 * RESOURCE_LIMIT errors naming the limit and what to do (resourceLimitError).
 */

/** /proc/self/limits, read once: with no file descriptor left it could not be read when needed most. */
let limitsText: string | null | undefined;

/** A soft limit of this process (Linux /proc/self/limits), in its unit; null if unlimited or unknown. */
export function processLimit(name: 'Max open files' | 'Max address space'): number | null {
  if (limitsText === undefined) {
    try {
      limitsText = fs.readFileSync('/proc/self/limits', 'utf8');
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'EACCES', 'EMFILE', 'ENFILE')) throw err;
      limitsText = null; // not Linux, or no descriptor to read it with: unknown
    }
  }
  return limitsText === null ? null : parseLimit(limitsText, name);
}

const GB = 1024 ** 3;
/** Address space the engine's main process needs (measured 1.05 GB, with a margin). */
const MAIN_BYTES = 1.25 * GB;
/** One worker thread with a 64 MB code range (measured 0.17 GB, with a margin). */
const WORKER_BYTES = 0.25 * GB;
/** One image-model thread (onnxruntime's arena peaks at ~240 MB on top of a worker). */
const MODEL_WORKER_BYTES = 0.6 * GB;

/** How many threads of each pool fit, and the worker options that make them fit. */
export interface WorkerBudget {
  threads: number;
  modelThreads: number;
  /** Set under an address-space limit: a smaller V8 code range per thread. */
  resourceLimits?: { codeRangeSizeMb: number };
  /** Why no thread fits, if none does. */
  refusal?: ShoeboxError;
}

/** Threads that fit the address-space limit (as many as wanted where there is none). */
export function workerBudget(wanted: number, wantedModel: number, limitBytes = addressSpaceLimit()): WorkerBudget {
  if (limitBytes === null) return { threads: wanted, modelThreads: wantedModel };
  const spare = limitBytes - MAIN_BYTES;
  const threads = Math.max(0, Math.min(wanted, Math.floor((spare - MODEL_WORKER_BYTES) / WORKER_BYTES)));
  const budget: WorkerBudget = { threads: Math.max(1, threads), modelThreads: Math.min(wantedModel, 1), resourceLimits: { codeRangeSizeMb: 64 } };
  if (threads === 0) {
    const need = Math.ceil((MAIN_BYTES + WORKER_BYTES + MODEL_WORKER_BYTES) / 1024);
    budget.refusal = new ShoeboxError(
      'RESOURCE_LIMIT',
      `The address-space limit of this process (ulimit -v: ${Math.round(limitBytes / 1024)} KB) leaves no room for Shoebox's worker threads. ` +
        `Raise it to at least ${need} KB (\`ulimit -v ${need}\`, or \`ulimit -v unlimited\`) and run again.`,
    );
  }
  return budget;
}

function addressSpaceLimit(): number | null {
  return processLimit('Max address space'); // bytes
}

/**
 * A clear RESOURCE_LIMIT error for failures caused by the process's limits rather than by a
 * file or the library (too many open files, memory that cannot be allocated, a worker thread
 * that could not start); undefined for anything else.
 */
export function resourceLimitError(err: unknown): ShoeboxError | undefined {
  if (err instanceof ShoeboxError) return err.code === 'RESOURCE_LIMIT' ? err : undefined;
  const message = String((err as Error)?.message ?? err);
  if (isErrno(err, 'EMFILE', 'ENFILE') || /\b(EMFILE|ENFILE)\b|too many open files/i.test(message)) {
    const limit = processLimit('Max open files');
    return new ShoeboxError(
      'RESOURCE_LIMIT',
      `Shoebox has too many files open for this system's limit${limit !== null ? ` (ulimit -n: ${limit})` : ''}. ` +
        'Raise it (`ulimit -n 4096`) and run again; nothing already backed up was changed.',
      { cause: err },
    );
  }
  const memory = err instanceof RangeError && /memory|allocation failed|Out of memory/i.test(message);
  if (memory || isErrno(err, 'ENOMEM', 'ERR_WORKER_OUT_OF_MEMORY', 'ERR_WORKER_INIT_FAILED')) {
    const limit = addressSpaceLimit();
    return new ShoeboxError(
      'RESOURCE_LIMIT',
      `Shoebox ran out of memory (${message.slice(0, 120)})${limit !== null ? `: the address-space limit of this process is ${Math.round(limit / 1024)} KB (ulimit -v)` : ''}. ` +
        'Raise the limit (`ulimit -v unlimited`) or use fewer threads (SHOEBOX_THREADS=1) and run again; nothing already backed up was changed.',
      { cause: err },
    );
  }
  return undefined;
}
