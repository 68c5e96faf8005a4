import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { DEFAULT_TIMING } from '../../main/core/watch/change-queue.js';
import { CLI, jpeg } from '../support/fixtures.js';
import { photoTree, tinyTree } from './fixtures.js';
import { have, timeCommand, warmCache, type BenchRow } from './measure.js';
import { memoryMb, percentile } from '../support/process-stats.js';

const MB = 1e6;

/** Issue #4 row: initial sync of a watch folder (≥1 GB of photos) next to b2sum over the same files. */
export async function initialSyncBench(work: string): Promise<BenchRow[]> {
  const src = path.join(work, 'photos');
  const tree = await photoTree(src, 1.05e9);
  warmCache(src);
  const b2 = timeCommand(`find "${src}" -type f -print0 | xargs -0 -P2 -n 8 b2sum > /dev/null`);
  const library = path.join(work, 'library-watch');
  fs.rmSync(library, { recursive: true, force: true });
  const sync = timeCommand(`node "${CLI}" --library "${library}" watch add "${src}" --mode separate > /dev/null 2>&1`);
  fs.rmSync(library, { recursive: true, force: true });
  const group = `watch initial sync, ${tree.files} photos`;
  const rate = (s: number) => `${(tree.bytes / MB / s).toFixed(0)} MB/s`;
  return [
    { group, tool: 'b2sum -P2 (floor)', value: rate(b2.seconds), note: `${b2.seconds.toFixed(2)} s` },
    { group, tool: 'shoebox watch add', value: rate(sync.seconds), ratio: `${(b2.seconds / sync.seconds).toFixed(2)}× b2sum`, note: `${sync.seconds.toFixed(2)} s, peak RSS ${sync.peakRssMb.toFixed(0)} MB` },
  ];
}

/** Starts `shoebox run` and resolves once its status file says every watch is watching. */
async function startRun(library: string): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, '--library', library, 'run'], { stdio: 'ignore' });
  const statusFile = path.join(library, 'run-status.json');
  for (;;) {
    if (child.exitCode !== null) throw new Error(`shoebox run exited with ${child.exitCode}`);
    try {
      const s = JSON.parse(fs.readFileSync(statusFile, 'utf8')) as { watches: Array<{ state: string }> };
      if (s.watches.length > 0 && s.watches.every((w) => w.state === 'watching')) return { child, readyMs: Date.now() - started };
    } catch {
      // not written yet (or being replaced): look again
    }
    await sleep(50);
  }
}

async function stopRun(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  await exited;
}

/**
 * Issue #4 row: live latency from a file's close to "backed up" (its source record in the
 * catalog) for 200 files created one by one, next to inotifywait's close_write latency.
 */
export async function liveLatencyBench(work: string): Promise<BenchRow[]> {
  const folder = path.join(work, 'live');
  const library = path.join(work, 'library-live');
  for (const p of [folder, library]) fs.rmSync(p, { recursive: true, force: true });
  fs.mkdirSync(folder);
  timeCommand(`node "${CLI}" --library "${library}" watch add "${folder}" > /dev/null`);
  const files = await Promise.all(Array.from({ length: 200 }, (_, i) => jpeg(`latency-${i}-${Date.now()}`, 200_000)));
  const rows: BenchRow[] = [];
  const group = `live latency, 200 files one by one (settle window ${DEFAULT_TIMING.settleMs} ms)`;

  if (have('inotifywait')) {
    const iw = spawn('inotifywait', ['-m', '-q', '-e', 'close_write', '--format', '%f', folder], { stdio: ['ignore', 'pipe', 'ignore'] });
    const seen = new Map<string, number>();
    let buf = '';
    iw.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        seen.set(buf.slice(0, nl), performance.now());
        buf = buf.slice(nl + 1);
      }
    });
    await sleep(300);
    const lat: number[] = [];
    for (let i = 0; i < 200; i++) {
      const name = `iw-${i}.jpg`;
      fs.writeFileSync(path.join(folder, name), files[i]!);
      const t0 = performance.now();
      while (!seen.has(name)) await sleep(1);
      lat.push(seen.get(name)! - t0);
    }
    iw.kill();
    rows.push({ group, tool: 'inotifywait close_write (floor)', value: `p50 ${percentile(lat, 50).toFixed(1)} ms`, note: `p99 ${percentile(lat, 99).toFixed(1)} ms` });
    for (let i = 0; i < 200; i++) fs.rmSync(path.join(folder, `iw-${i}.jpg`));
  } else {
    rows.push({ group, tool: 'inotifywait', value: 'n/a', note: 'inotify-tools not installed (.ci/setup bench installs it)' });
  }

  const { child } = await startRun(library);
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  const recorded = db.prepare('SELECT 1 FROM source_records WHERE path = ?');
  const lat: number[] = [];
  try {
    for (let i = 0; i < 200; i++) {
      const p = path.join(folder, `sb-${i}.jpg`);
      fs.writeFileSync(p, files[i]!);
      const t0 = performance.now();
      while (!recorded.get(p)) await sleep(2);
      lat.push(performance.now() - t0);
    }
  } finally {
    db.close();
    await stopRun(child);
  }
  const settle = DEFAULT_TIMING.settleMs;
  rows.push({
    group, tool: 'shoebox run', value: `p50 ${percentile(lat, 50).toFixed(0)} ms`,
    ratio: `beyond settle: p50 ${(percentile(lat, 50) - settle).toFixed(0)} ms (target < 300), p99 ${(percentile(lat, 99) - settle).toFixed(0)} ms (target < 1000)`,
    note: `p99 ${percentile(lat, 99).toFixed(0)} ms`,
  });
  return rows;
}

/** Issue #4 row: `run` idle with 100k watched files in 4k folders — RSS and time to ready. */
export async function idleMemoryBench(work: string): Promise<BenchRow[]> {
  const root = path.join(work, 'tree-100k');
  const library = path.join(work, 'library-100k');
  const marker = path.join(work, '.library-100k-complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(library, { recursive: true, force: true });
    await tinyTree(root, 100_000, 4000);
    console.log('  (one-time set-up: backing up the 100k-file tree, about two minutes)');
    timeCommand(`node "${CLI}" --library "${library}" watch add "${root}" --mode separate > /dev/null`);
    fs.writeFileSync(marker, '');
  }
  const { child, readyMs } = await startRun(library);
  await sleep(5000);
  const { rss, peak: hwm } = memoryMb(child.pid);
  await stopRun(child);
  const group = 'run idle, 100k files in 4k folders';
  return [{ group, tool: 'shoebox run', value: `RSS ${rss.toFixed(0)} MB`, ratio: `target < 250 MB`, note: `peak ${hwm.toFixed(0)} MB, ready in ${(readyMs / 1000).toFixed(1)} s` }];
}
