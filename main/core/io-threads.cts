// CommonJS, unlike the rest of the engine: the `shoebox` command's launcher (main/cli/shoebox.cts)
// runs it before Node's ESM loader has read a single module ([Note: I/O threads]).
import fs from 'node:fs';

/**
 * [Note: I/O threads]
 * Node runs file-system calls made asynchronously (fsync, the reads and writes of large files)
 * on libuv's thread pool: four threads per process, shared by the main thread and every worker
 * thread. An upload's four ingest threads each wait on a batch's fsyncs and device reads
 * through that pool, so four threads held every fsync and read of the whole process in one
 * short queue. Sixteen let one thread's fsyncs and another's reads wait on the device together.
 * Measured on the 5,000-file mixed tree (2 cores, interleaved, 3 runs each): 4 threads
 * 5.45-6.15 s, 8 threads 4.59-5.36 s, 16 threads 4.40-5.01 s; through this launcher, 5.57-5.66 s
 * with the size forced back to 4 against 4.80-5.07 s (issue #18).
 *
 * libuv sizes the pool from UV_THREADPOOL_SIZE when the pool is first used, and Node's ESM
 * loader uses it to read the first module: so the command's entry is a CommonJS launcher that
 * sets the size and then loads the command. `run` and `serve` keep the default (LIVE_COMMANDS).
 * A size the person set is kept; under an
 * address-space limit the default is kept, since every thread reserves a stack ([Note: Running
 * under tight limits]).
 */
export const IO_THREADS = 16;

/** A soft limit from the text of /proc/self/limits, in its unit; null if unlimited or not listed. */
export function parseLimit(limitsText: string, name: string): number | null {
  const line = limitsText.split('\n').find((l) => l.startsWith(name));
  const soft = line?.slice(name.length).trim().split(/\s+/)[0];
  return soft === undefined || soft === 'unlimited' ? null : Number(soft);
}

/**
 * Commands that keep Node's default: they serve a window while they back up, and there sixteen
 * threads' fsyncs took CPU from the event loop (10k-file burst under `serve`, interleaved: lag
 * p99 106 ms and `status.get` p99 163 ms with 4 threads; 113-125 ms and 177-212 ms with 16).
 */
const LIVE_COMMANDS = new Set(['run', 'serve']);

/** The command named in the `shoebox` arguments (after the global options), if any. */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--library') i++; // its value
    else if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** The UV_THREADPOOL_SIZE an engine process should set, or undefined to leave it as it is. */
export function ioThreadPoolSize(env: NodeJS.ProcessEnv, addressLimitBytes: number | null, command?: string): string | undefined {
  // Empty is not a size (libuv would read it as 1 thread).
  if ((env.UV_THREADPOOL_SIZE !== undefined && env.UV_THREADPOOL_SIZE.trim() !== '') || addressLimitBytes !== null) return undefined;
  if (command !== undefined && LIVE_COMMANDS.has(command)) return undefined;
  return String(IO_THREADS);
}

/** Sizes this process's I/O thread pool; effective only before its first asynchronous file call. */
export function sizeIoThreadPool(): void {
  let limits = '';
  try {
    limits = fs.readFileSync('/proc/self/limits', 'utf8');
  } catch {
    // Not Linux (no address-space limit to respect there), or no descriptor free: the command reports that itself.
  }
  const size = ioThreadPoolSize(process.env, parseLimit(limits, 'Max address space'), commandOf(process.argv.slice(2)));
  if (size !== undefined) process.env.UV_THREADPOOL_SIZE = size;
}
