// `npm run bench [row…]`: Shoebox's speed and memory next to baselines measured in the same
// run on the same machine, printed as ratios. Rows: see `benches` below.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { backupBench } from './backup-bench.js';
import { dedupBench } from './dedup-bench.js';
import { uiLatencyBench } from './ui-bench.js';
import { exportBench } from './export-bench.js';
import { freeUpBench } from './free-up-bench.js';
import { similarBench } from './similar-bench.js';
import { remoteBench } from './remote-bench.js';
import { snapshotBench } from './snapshot-bench.js';
import { takeoutBench } from './takeout-bench.js';
import { mediaBench, timelineBench, viewerBench } from './window-bench.js';
import { idleMemoryBench, initialSyncBench, liveLatencyBench } from './watch-bench.js';
import { syncLoadBench } from './sync-load-bench.js';
import { printRows, type BenchRow } from './measure.js';

const benches: Record<string, (work: string) => Promise<BenchRow[]>> = {
  backup: backupBench,
  'watch-sync': initialSyncBench,
  'watch-latency': liveLatencyBench,
  'watch-memory': idleMemoryBench,
  'sync-load': syncLoadBench,
  dedup: dedupBench,
  'ui-latency': uiLatencyBench,
  export: exportBench,
  'free-up': freeUpBench,
  similar: similarBench,
  remote: remoteBench,
  snapshot: snapshotBench,
  takeout: takeoutBench,
  timeline: timelineBench,
  media: mediaBench,
  viewer: viewerBench,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length) {
  console.error(`unknown bench row(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const work = process.env.SHOEBOX_BENCH_DIR ?? path.join(os.tmpdir(), 'shoebox-bench');
fs.mkdirSync(work, { recursive: true });
console.log(`shoebox bench — ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}, work dir ${work}`);
const rows: BenchRow[] = [];
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  console.log(`running ${name}…`);
  rows.push(...(await benches[name]!(work)));
}
printRows(rows);
