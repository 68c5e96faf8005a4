import fs from 'node:fs';
import path from 'node:path';

// [Note: Fault injection]
// The engine calls `injectFault(point)` at the steps where a failure or a crash matters. Normally
// it does nothing (one comparison: SHOEBOX_FAULTS is read once). With SHOEBOX_FAULTS set (tests and
// the torture suite do) each comma-separated rule `point:action[:when]` acts at that point:
//   action  an error code (ENOSPC, EIO, SQLITE_IOERR…): throws it, exactly like the file system or
//           SQLite would (`blob-write:ENOSPC:0.2,catalog-write:SQLITE_IOERR:0.05`);
//           `kill`: SIGKILLs the whole process right there (a crash at a chosen step);
//           `stop`: writes a marker line and SIGSTOPs the whole process; the test does what it
//           wants meanwhile (another process, a look at the files) and resumes it with SIGCONT or
//           kills it (a crash test's backstop: test/support/crash-kit.ts);
//           `pause`: writes a marker line and `<SHOEBOX_PAUSE_DIR>/<point>.paused` (the pid), then
//           holds the calling thread until `<SHOEBOX_PAUSE_DIR>/<point>.go` exists. This is the
//           pause for race tests (test/support/pause.ts): two real processes interleave at exact
//           steps. It blocks synchronously on purpose: some points sit between two synchronous
//           steps (a commit and an unlink) that an await would not hold apart. Unlike `stop`, the
//           test needs no pipe to the child's stderr to see it arrive, only the folder;
//           `trace`: writes a marker line and goes on (progress a test can time a kill from).
//   when    `#n`: only the n-th pass of the point; a probability `0.2`; omitted: every pass.
// Passes are counted per process, across worker threads (the ingest pool shares the counters, see
// `faultCounters`), so `blob-placed:kill:#37` kills at the 37th blob placed by any thread.
// Every action but an error code first writes one line to stderr, synchronously, so it is in the
// pipe before the process stops or dies:  `shoebox-fault: <action> <point> #<pass> pid <pid>`.
// SHOEBOX_FAULTS_SEED seeds the probabilities. SHOEBOX_FAULTS_WHILE=<file> keeps the faults on only
// while that file exists: a test ends a fault (the disk "gets space back") by deleting it, once it
// saw the engine react, never after a guessed time. SHOEBOX_FAULTS_UNTIL=<epoch ms> ends them at a
// time instead (for manual runs). A rule naming an unknown point or action is an error
// (a misspelled point would otherwise never fire and a test would wait for it forever).

/** The named steps, in the order a file meets them where that applies. */
export const FAULT_POINTS = [
  'blob-write', // a chunk is about to be written to a temp file (upload copy, export copy)
  'blob-place', // a verified temp file is about to be renamed into objects/
  'blob-placed', // a new blob is in objects/ (renamed, folder fsynced); no catalog row names it yet
  'upload-commit', // an upload/sync item's bytes are identified (copied, or found stored), not yet committed (once per item, before its batch's commit)
  'catalog-write', // a catalog write transaction is about to begin
  'catalog-migrate', // a catalog migration step is about to take the write lock (the schema version was read outside it)
  'file-commit', // inside an upload/sync batch's commit transaction, one file's rows written, not committed
  'batch-commit', // inside an upload/sync batch's commit transaction, every file's rows written, not committed
  'upload-file', // an upload item is finished (any outcome) and counted
  'sync-file', // a changed or new file of a watch is finished (any outcome)
  'dedup-group-tx', // inside a dedup group's transaction, all its rows changed, not committed
  'dedup-group', // a dedup group's transaction has committed
  'export-copied', // an exported file's verified temp copy is about to be renamed to its name
  'export-file', // an exported file is finished (written, linked or skipped)
  'dest-hashed', // a file already where an export or restore writes is about to be read and hashed (is it these bytes?)
  'purge-committed', // a purge committed its catalog deletions; no blob file removed yet
  'purge-unlink', // a purge is about to remove one blob file
  'gc-move', // stray-blob collection found candidates; not yet re-checked under the write lock, nothing moved
  'remote-part', // a multipart part is stored on the remote and recorded in the catalog
  'remote-blob', // a blob is stored on the remote and recorded in the catalog
  'free-up-intent', // Free up space: a source's intent to free it is committed; nothing done to it yet
  'free-up-info-open', // its .trashinfo is created (empty, reserving the name), not yet written
  'free-up-reserved', // its place in the Trash is reserved (.trashinfo written); it is still in place
  'free-up-looked', // its last look (inode, size, date; its library copy) is done; not yet moved
  'free-up-claimed', // a source to delete is renamed to its hidden claim name, not yet looked at there
  'free-up-moved', // it is in the Trash (or deleted); its intent is not yet marked done
  'free-up-file', // a source is done (freed, or kept after its re-check) and counted
  'dates-batch-tx', // inside a capture-date back-fill transaction, a batch's dates written, not committed
  'dates-batch', // a batch of capture dates has committed
  'similar-chunk', // a chunk of Similar images' embeddings has committed
] as const;

/** A place where a fault can be injected. */
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** The actions besides throwing an error code. */
const ACTIONS = new Set(['kill', 'stop', 'pause', 'trace']);

interface Rule {
  point: FaultPoint;
  action: string;
  probability?: number;
  nth?: number;
}

let rules: Rule[] | undefined;
let counters: Int32Array | undefined;
let seed = 0;
let until: number | undefined;
let whileFile: string | undefined;
let pauseDir: string | undefined;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Parses SHOEBOX_FAULTS (exported for its test). */
export function parseFaults(spec: string): Rule[] {
  return spec.split(',').filter(Boolean).map((part) => {
    const [point, action, when, extra] = part.split(':') as [string, string | undefined, string | undefined, string | undefined];
    if (!(FAULT_POINTS as readonly string[]).includes(point)) throw new Error(`SHOEBOX_FAULTS: unknown point "${point}" in "${part}" (points: ${FAULT_POINTS.join(', ')})`);
    if (!action || extra !== undefined || !(ACTIONS.has(action) || /^[A-Z][A-Z0-9_]*$/.test(action))) {
      throw new Error(`SHOEBOX_FAULTS: "${part}" is not point:action[:when] (action: kill, stop, pause, trace or an error code like EIO)`);
    }
    const rule: Rule = { point: point as FaultPoint, action };
    if (when === undefined) rule.probability = 1;
    else if (/^#[1-9][0-9]*$/.test(when)) rule.nth = Number(when.slice(1));
    else if (/^(0|1|0?\.[0-9]+)$/.test(when)) rule.probability = Number(when);
    else throw new Error(`SHOEBOX_FAULTS: "${when}" in "${part}" is neither #n nor a probability`);
    return rule;
  });
}

/**
 * The pass counters, shared with worker threads: the pool hands this buffer to each thread,
 * which calls `shareFaultCounters` with it. Undefined when no faults are configured.
 */
export function faultCounters(): SharedArrayBuffer | undefined {
  load();
  return counters?.buffer as SharedArrayBuffer | undefined;
}

/** In a worker thread: count passes in the process-wide counters from `faultCounters`. */
export function shareFaultCounters(buffer: SharedArrayBuffer | undefined): void {
  if (buffer) counters = new Int32Array(buffer);
}

function load(): Rule[] {
  if (rules !== undefined) return rules;
  rules = parseFaults(process.env.SHOEBOX_FAULTS ?? '');
  if (rules.length > 0) counters ??= new Int32Array(new SharedArrayBuffer(4 * FAULT_POINTS.length));
  seed = Number(process.env.SHOEBOX_FAULTS_SEED ?? process.pid) >>> 0;
  until = process.env.SHOEBOX_FAULTS_UNTIL ? Number(process.env.SHOEBOX_FAULTS_UNTIL) : undefined;
  whileFile = process.env.SHOEBOX_FAULTS_WHILE || undefined;
  pauseDir = process.env.SHOEBOX_PAUSE_DIR || undefined;
  if (!pauseDir && rules.some((r) => r.action === 'pause')) throw new Error('SHOEBOX_FAULTS has a pause rule but SHOEBOX_PAUSE_DIR is not set');
  return rules;
}

function random(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
}

/** Writes the marker line to fd 2 synchronously (from any thread), retrying a full pipe. */
function mark(action: string, point: FaultPoint, pass: number): void {
  const line = Buffer.from(`shoebox-fault: ${action} ${point} #${pass} pid ${process.pid}\n`);
  for (let off = 0; off < line.length; ) {
    try {
      off += fs.writeSync(2, line, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(sleeper, 0, 0, 1); // the reader is behind: wait 1 ms
    }
  }
}

/** Acts on the configured faults for this point, if any (see [Note: Fault injection]). */
export function injectFault(point: FaultPoint): void {
  const active = rules ?? load();
  if (active.length === 0) return;
  if (until !== undefined && Date.now() > until) return; // the fault has "cleared" (space came back)
  if (whileFile !== undefined && !fs.existsSync(whileFile)) return; // the test cleared it
  const pass = Atomics.add(counters!, FAULT_POINTS.indexOf(point), 1) + 1;
  for (const r of active) {
    if (r.point !== point) continue;
    if (r.nth !== undefined ? r.nth !== pass : random() >= (r.probability ?? 0)) continue;
    if (r.action === 'trace') {
      mark('trace', point, pass);
    } else if (r.action === 'stop') {
      mark('stop', point, pass);
      process.kill(process.pid, 'SIGSTOP'); // every thread stops here until SIGCONT
    } else if (r.action === 'pause') {
      mark('pause', point, pass);
      holdUntilGo(point);
    } else if (r.action === 'kill') {
      mark('kill', point, pass);
      process.kill(process.pid, 'SIGKILL');
    } else {
      throw Object.assign(new Error(`${r.action}: injected fault at ${point}`), { code: r.action, injected: true });
    }
  }
}

/** The `pause` action's handshake: says where it is held, then waits (this thread only) for the go file. */
function holdUntilGo(point: FaultPoint): void {
  fs.writeFileSync(path.join(pauseDir!, `${point}.paused`), `${process.pid}\n`);
  const go = path.join(pauseDir!, `${point}.go`);
  while (!fs.existsSync(go)) Atomics.wait(sleeper, 0, 0, 10);
}
