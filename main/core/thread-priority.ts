import fs from 'node:fs';
import os from 'node:os';

/**
 * [Note: Background threads]
 * While the engine runs live (the app, `run`, `serve`) a person may be looking at the window
 * while thousands of files arrive, and the main thread — the API, status events, the watcher,
 * the catalog commits — must answer promptly. On a 2-core machine it shares the cores with the
 * ingest threads, the model's thread and their native helpers (libuv, libvips, onnxruntime),
 * and under the scheduler's fair share a 30 ms commit took 100 ms and more (issue #18: event-loop
 * lag and status round trips over their targets during a 10k-file burst). So while live, each
 * worker thread lowers its own priority by BACKGROUND_NICE before its next task: the JavaScript
 * of a backup (sniffing, hashing, the batch's bookkeeping) and the model's inference, whose
 * onnxruntime session is made on the lowered thread. Not lowered: libuv's process-wide thread
 * pool, which the main thread's own file I/O shares, so the workers' asynchronous reads,
 * writes and fsyncs and sharp's image pipelines (libvips runs on that pool) keep the process's
 * priority. The main thread keeps the process's priority, and the work still gets every idle
 * cycle: nice only ranks threads when the cores are contended (with the kernel's autogroup, as
 * on most desktops, only within the session; without it, behind every other process too). A
 * command a person waits on (`upload`, `watch add`) is not live and keeps every thread at the
 * process's priority.
 *
 * Linux only: there a thread's nice value is its own (setpriority on its thread id) and
 * /proc/thread-self names that id. Elsewhere, or where the system refuses, threads keep the
 * process's priority; nothing else depends on it. A thread never asks to go back up — an
 * unprivileged process may not lower a nice value — so a live engine that stops leaves its
 * idle threads low until they exit (Piscina ends them after 10 s idle).
 */
export const BACKGROUND_NICE = 10;

/** The flag the main thread sets (1: background) and the worker threads read before each task. */
export function priorityFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * This thread's id for setpriority, or undefined where threads cannot be told apart (not
 * Linux), or where /proc is not this process's (another PID namespace: its ids would name
 * some other thread).
 */
function threadId(): number | undefined {
  try {
    if (Number(fs.readlinkSync('/proc/self')) !== process.pid) return undefined;
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * In a worker thread: returns a function to call before each task, which puts the thread in the
 * background once the flag asks for it (the process's nice + BACKGROUND_NICE, at most 19).
 */
export function followPriority(flag: Int32Array | undefined): () => void {
  let lowered = false;
  return () => {
    if (lowered || !flag || Atomics.load(flag, 0) === 0) return;
    lowered = true; // tried once, whether or not the system allows it
    const tid = threadId();
    if (tid === undefined) return;
    try {
      os.setPriority(tid, Math.min(19, os.getPriority(tid) + BACKGROUND_NICE));
    } catch {
      // Refused (a sandbox, a seccomp filter): the thread keeps the process's priority.
    }
  };
}
