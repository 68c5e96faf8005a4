import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type WebSocket from 'ws';
import { CLI, jpeg, runCli, waitFor } from '../support/fixtures.js';
import { memoryMb, percentile } from '../support/process-stats.js';
import { startServeProcess } from '../support/serve-process.js';
import { loginSocket, windowClient } from '../torture/load.js';
import { tinyTree } from './fixtures.js';
import { FreshDisk, freshPlace } from './fresh-disk.js';
import { timeCommand, warmCache, type BenchRow } from './measure.js';

/** Files of the initial sync and of the burst (smaller while developing: SHOEBOX_BENCH_SYNC_FILES, SHOEBOX_BENCH_BURST). */
const SYNC_FILES = Number(process.env.SHOEBOX_BENCH_SYNC_FILES ?? 100_000);
const BURST = Number(process.env.SHOEBOX_BENCH_BURST ?? 10_000);

/**
 * Issue #18 rows: a 100k-file initial sync of tiny files and a 10k-file burst into a watched
 * folder with the window connected, similar-image indexing on (the default) throughout.
 * - initial sync: the copy floor (`cp -r` + `sync`: 100k files created), `shoebox watch add`
 *   doing it alone, and `shoebox run` doing it for a watch added while it runs (its peak RSS);
 * - burst: `shoebox serve` on that library, a window client clicking (`status.get`) every
 *   100 ms while the files are written; the serve process's event-loop lag over the burst
 *   (SHOEBOX_DIAGNOSTICS, restarted by SIGUSR2 when the burst begins), the clicks' round trips
 *   and its peak RSS.
 */
export async function syncLoadBench(work: string): Promise<BenchRow[]> {
  const folders = Math.max(1, Math.round(SYNC_FILES / 25));
  const root = path.join(work, `tree-${SYNC_FILES}`);
  await tinyTree(root, SYNC_FILES, folders);
  // A burst folder left by an interrupted run would make the tree 110k files, and the wait for
  // 100k backed up would never end.
  for (const d of fs.readdirSync(root)) if (d.startsWith('Burst-')) fs.rmSync(path.join(root, d), { recursive: true, force: true });
  warmCache(root);
  // Each step writes into a freshly made file system where one can be made: a 100k-file
  // removal on the bench's disk made the next step's file creation seconds slower (the copy
  // floor took 4.1–20.8 s on that disk in one evening), see fresh-disk.ts.
  const disk = FreshDisk.open(work);
  const fresh = (name: string) => freshPlace(disk, work, name);
  try {
    return await syncLoadRows(root, folders, fresh);
  } finally {
    disk?.dispose();
  }
}

async function syncLoadRows(root: string, folders: number, fresh: (name: string) => string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const add = (row: BenchRow) => {
    rows.push(row);
    console.log(`  ${row.tool}: ${row.value}${row.ratio ? `; ${row.ratio}` : ''}${row.note ? ` (${row.note})` : ''}`); // as it comes: the whole run takes a while
  };
  const group = `initial sync, ${SYNC_FILES} tiny files in ${folders} folders`;
  const rate = (n: number, s: number) => `${(n / s).toFixed(0)} files/s`;

  const copyDst = fresh('tiny-copy');
  timeCommand('sync');
  const copy = timeCommand(`cp -r "${root}" "${copyDst}" && sync`);
  fs.rmSync(copyDst, { recursive: true, force: true });
  add({ group, tool: 'cp -r + sync (floor)', value: rate(SYNC_FILES, copy.seconds), note: `${copy.seconds.toFixed(1)} s` });

  const alone = fresh('library-sync-cli');
  timeCommand('sync');
  const cli = timeCommand(`node "${CLI}" --library "${alone}" watch add "${root}" --mode separate > /dev/null 2>&1`);
  fs.rmSync(alone, { recursive: true, force: true });
  add({ group, tool: 'shoebox watch add', value: rate(SYNC_FILES, cli.seconds), ratio: `${(copy.seconds / cli.seconds).toFixed(2)}× copy`, note: `${cli.seconds.toFixed(1)} s (was 85–144 s), peak RSS ${cli.peakRssMb.toFixed(0)} MB, CPU ${cli.cpuSeconds.toFixed(0)} s` });

  const library = fresh('library-sync-run');
  const run = await startEngine(library);
  let runSeconds: number;
  let runPeak: number;
  try {
    const t0 = performance.now();
    const added = await runCli(['watch', 'add', root, '--mode', 'separate'], { library });
    if (added.code !== 0) throw new Error(`watch add failed: ${added.stderr}`);
    await waitFor(() => runCaughtUp(library, SYNC_FILES), 60 * 60_000, `run to back up ${SYNC_FILES} files`, 500);
    runSeconds = (performance.now() - t0) / 1000;
    runPeak = memoryMb(run.pid).peak;
  } finally {
    await stop(run);
  }
  add({ group, tool: 'shoebox run (watch added while running)', value: rate(SYNC_FILES, runSeconds), ratio: `${(copy.seconds / runSeconds).toFixed(2)}× copy; peak RSS ${runPeak.toFixed(0)} MB (target < 400)`, note: `${runSeconds.toFixed(1)} s` });
  for (const row of await burstRows(root, library)) add(row);
  return rows;
}

/** The burst under `serve`, a window client connected. */
async function burstRows(root: string, library: string): Promise<BenchRow[]> {
  const serve = await startServeProcess(library, { SHOEBOX_DIAGNOSTICS: '1', SHOEBOX_CONFIG_DIR: path.join(library, '..', 'serve-config') }, ['--port', '0'], { readyWithinMs: 30 * 60_000 });
  const burstDir = path.join(root, `Burst-${Date.now()}`);
  let ws: WebSocket | undefined;
  let burstS = 0;
  let clicks: number[] = [];
  let events = 0;
  let peak = 0;
  try {
    ws = await loginSocket(serve);
    const ui = windowClient(ws);
    await waitFor(() => ui.caughtUp(SYNC_FILES), 30 * 60_000, 'serve to catch up', 500);
    serve.child.kill('SIGUSR2'); // the lag is measured over the burst
    const stopClicking = ui.clickEvery(100);
    const eventsBefore = ui.state.events;
    const base = await jpeg('burst-base');
    const t0 = performance.now();
    for (let start = 0; start < BURST; start += 250) {
      const dir = path.join(burstDir, `B${String(start / 250).padStart(3, '0')}`);
      await fs.promises.mkdir(dir, { recursive: true });
      await Promise.all(Array.from({ length: Math.min(250, BURST - start) }, (_, k) => {
        const b = Buffer.from(base);
        b.write(String(start + k).padStart(10, '0'), 26, 'latin1');
        return fs.promises.writeFile(path.join(dir, `NEW_${start + k}.jpg`), b);
      }));
    }
    await waitFor(() => ui.caughtUp(SYNC_FILES + BURST), 30 * 60_000, 'the burst to be backed up', 250);
    burstS = (performance.now() - t0) / 1000;
    clicks = await stopClicking();
    events = ui.state.events - eventsBefore;
    peak = memoryMb(serve.child.pid).peak;
  } finally {
    ws?.close();
    await serve.stop();
    fs.rmSync(burstDir, { recursive: true, force: true });
  }
  const diag = /shoebox: diagnostics (\{.*\})/.exec(serve.output());
  if (!diag) throw new Error(`serve printed no diagnostics: ${serve.output().slice(-300)}`);
  const lag = (JSON.parse(diag[1]!) as { eventLoopLagMs: { p50: number; p99: number; max: number } }).eventLoopLagMs;
  const group = `burst of ${BURST} files into a watched folder of ${SYNC_FILES}, window connected`;
  const ms = (v: number) => `${Math.round(v)} ms`;
  return [
    { group, tool: 'shoebox serve', value: `${(BURST / burstS).toFixed(0)} files/s`, note: `${burstS.toFixed(1)} s, ${events} status events, peak RSS ${peak.toFixed(0)} MB (target < 400)` },
    { group, tool: 'event-loop lag', value: `p99 ${ms(lag.p99)}`, ratio: 'target p99 < 100 ms', note: `p50 ${ms(lag.p50)}, max ${ms(lag.max)}` },
    { group, tool: 'status.get round trip', value: `p99 ${ms(percentile(clicks, 99))}`, ratio: 'target p99 < 150 ms', note: `p50 ${ms(percentile(clicks, 50))}, ${clicks.length} clicks` },
  ];
}

/** Starts `shoebox run` and waits until it has written its status (it is ready). */
async function startEngine(library: string): Promise<ChildProcess> {
  fs.mkdirSync(library, { recursive: true });
  const child = spawn(process.execPath, [CLI, '--library', library, 'run'], { stdio: 'ignore' });
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`shoebox run exited with ${child.exitCode}`);
    return fs.existsSync(path.join(library, 'run-status.json'));
  }, 120_000, 'shoebox run to start', 100);
  return child;
}

/** The running engine says the watch has `n` files backed up and nothing waiting. */
function runCaughtUp(library: string, n: number): boolean {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(library, 'run-status.json'), 'utf8')) as { state: string; queued: number; watches: Array<{ files: number; state: string }> };
    return s.queued === 0 && s.state !== 'syncing' && s.watches.length === 1 && s.watches[0]!.state === 'watching' && s.watches[0]!.files === n;
  } catch {
    return false; // being replaced: look again
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  await exited;
}
