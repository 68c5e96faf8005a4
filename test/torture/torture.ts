// `npm run torture [-- --seed N] [--kills N] [--long] [--only crash,race,disk,damage,hostile,api,load]`
// The fault and hostile-input suite (issue #11): a seeded crash loop over real processes, disk
// faults (injected and a real full file system), hostile inputs, API abuse and load, then one
// summary table. Exit 0 only with no invariant violation and no data lost.
import { parseArgs } from 'node:util';
import { startS3 } from '../support/s3-server.js';
import { apiFuzz } from './api-fuzz.js';
import { crashLoop } from './crash-loop.js';
import { diskFaults } from './disk-faults.js';
import { catalogDamage } from './catalog-damage.js';
import { hostileInputs } from './hostile-inputs.js';
import { loadTest } from './load.js';
import { raceLoop } from './races.js';

interface Row {
  part: string;
  scenarios: string;
  kills: number;
  faults: number;
  hostile: number;
  violations: string[];
  lost: number;
  peakRssMb: number;
  seconds: number;
  notes: string;
}

const PARTS = ['crash', 'race', 'disk', 'damage', 'hostile', 'api', 'load'] as const;

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    kills: { type: 'string' },
    long: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const seed = values.seed === undefined ? Math.floor(Math.random() * 1e6) : Number(values.seed);
const kills = Number(values.kills ?? (values.long ? 1000 : 200));
const only = new Set((values.only ?? PARTS.join(',')).split(',').map((s) => s.trim()));
for (const p of only) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part "${p}" (parts: ${PARTS.join(', ')})`);
if (!Number.isInteger(seed) || !Number.isInteger(kills) || kills < 0) throw new Error('--seed and --kills take whole numbers');

const rows: Row[] = [];
const timed = async (part: string, fn: () => Promise<Omit<Row, 'part' | 'seconds'>>) => {
  if (!only.has(part)) return;
  process.stdout.write(`torture: ${part}…\n`);
  const t = Date.now();
  const row = { part, ...(await fn()), seconds: (Date.now() - t) / 1000 };
  rows.push(row);
  process.stdout.write(`torture: ${part} done in ${row.seconds.toFixed(0)} s, ${row.violations.length} violation(s), ${row.lost} lost\n`);
};

process.stdout.write(`torture: seed ${seed} (re-run with --seed ${seed}), ${kills} kills${values.long ? ', long soak' : ''}\n`);

await timed('crash', async () => {
  const s3 = await startS3(['torture']);
  try {
    const r = await crashLoop({ seed, kills, remote: { url: `s3://torture/lib-${seed}`, endpoint: s3.endpoint, env: { ...s3.env, SHOEBOX_REMOTE_PASSPHRASE: `torture passphrase ${seed}` } } });
    const landed = Object.entries(r.landed).map(([cmd, kinds]) => `${cmd} ${Object.values(kinds).reduce((a, b) => a + b, 0)} of ${r.runs[cmd]} (${Object.entries(kinds).map(([k, n]) => `${k} ×${n}`).join(', ')})`);
    return { scenarios: Object.entries(r.runs).map(([k, v]) => `${k} ×${v}`).join(', '), kills: r.kills, faults: 0, hostile: 0, violations: r.violations, lost: r.dataLost, peakRssMb: r.peakRssMb, notes: `kills landed mid-operation per command: ${landed.join('; ')}` };
  } finally {
    await s3.close();
  }
});

await timed('race', async () => {
  // Issue #15: purge vs upload (held gap, free, run's purge), stray collection vs upload, a damaged index, a wrong clock.
  const r = await raceLoop({ seed, rounds: values.long ? 20 : 5 });
  return { scenarios: Object.entries(r.runs).map(([k, v]) => `${k} ×${v}`).join(', '), kills: 0, faults: 0, hostile: 0, violations: r.violations, lost: r.lost, peakRssMb: NaN, notes: '' };
});

await timed('disk', async () => {
  const r = await diskFaults();
  return { scenarios: `${r.cases.length} cases`, kills: 0, faults: r.faults, hostile: 0, violations: r.violations, lost: 0, peakRssMb: NaN, notes: `real full disk: ${r.realFullDisk}` };
});

await timed('damage', async () => {
  const r = await catalogDamage({ seed, cases: values.long ? 100 : 16 });
  return { scenarios: `${r.cases.length} damaged catalogs`, kills: 0, faults: r.cases.length, hostile: 0, violations: r.violations, lost: r.lost, peakRssMb: NaN, notes: '' };
});

await timed('hostile', async () => {
  const r = await hostileInputs();
  return { scenarios: 'upload, export, previews, ML', kills: 0, faults: 0, hostile: r.tried.length, violations: r.violations, lost: r.lost.length, peakRssMb: NaN, notes: r.lost.join(', ') };
});

await timed('api', async () => {
  const r = await apiFuzz({ seed, runs: values.long ? 5000 : 1000 });
  return { scenarios: 'WebSocket + IPC', kills: 0, faults: 0, hostile: r.messages, violations: r.violations, lost: r.lost.length, peakRssMb: NaN, notes: r.lost.join(', ') };
});

await timed('load', async () => {
  const r = await loadTest({ files: 100_000, folders: 4000, burst: 10_000 });
  return {
    scenarios: `${r.files} files + burst ${r.burst}`, kills: 0, faults: 0, hostile: 0, violations: r.violations, lost: r.lost.length, peakRssMb: r.peakRssMb,
    notes: `initial sync ${r.initialSyncS.toFixed(0)} s, burst backed up in ${r.burstS.toFixed(1)} s; event-loop lag p50 ${r.loopLagMs.p50} / p99 ${r.loopLagMs.p99} / max ${r.loopLagMs.max} ms; status.get round trip p50 ${r.clickMs.p50} / p99 ${r.clickMs.p99} ms; ${r.statusEvents} status events`,
  };
});

// the summary
const cell = (v: number) => (Number.isNaN(v) ? '–' : String(Math.round(v)));
const table = [
  ['part', 'scenarios', 'kills', 'faults injected', 'hostile inputs', 'violations', 'data lost', 'peak RSS MB', 'time s'],
  ...rows.map((r) => [r.part, r.scenarios, cell(r.kills), cell(r.faults), cell(r.hostile), cell(r.violations.length), cell(r.lost), cell(r.peakRssMb), cell(r.seconds)]),
  ['total', '', cell(rows.reduce((a, r) => a + r.kills, 0)), cell(rows.reduce((a, r) => a + r.faults, 0)), cell(rows.reduce((a, r) => a + r.hostile, 0)), cell(rows.reduce((a, r) => a + r.violations.length, 0)), cell(rows.reduce((a, r) => a + r.lost, 0)), cell(Math.max(0, ...rows.map((r) => r.peakRssMb).filter((x) => !Number.isNaN(x)))), cell(rows.reduce((a, r) => a + r.seconds, 0))],
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
const line = (row: string[]) => `| ${row.map((v, c) => (c <= 1 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
process.stdout.write(`\nTorture summary (seed ${seed})\n${line(table[0]!)}\n|${widths.map((w, c) => (c <= 1 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|\n${table.slice(1).map(line).join('\n')}\n`);
for (const r of rows) if (r.notes) process.stdout.write(`${r.part}: ${r.notes}\n`);
const bad = rows.flatMap((r) => r.violations.map((v) => `${r.part}: ${v}`));
if (bad.length) process.stdout.write(`\nViolations:\n${bad.slice(0, 50).map((v) => `  ${v}`).join('\n')}${bad.length > 50 ? `\n  … and ${bad.length - 50} more` : ''}\n`);
process.exitCode = bad.length === 0 && rows.every((r) => r.lost === 0) ? 0 : 1;
