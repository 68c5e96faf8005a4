// `node build/test/torture/race-loop.js [--rounds 50] [--seed N] [--photos 12] [--only purge-gap,run-purge,…]`
// The issue #15 races run many times over (not part of `npm test`): every scenario of races.ts,
// `rounds` times each, with a seeded step for each interleaving. Prints the count per scenario
// and every violation; exit 1 if anything was lost.
import { parseArgs } from 'node:util';
import { RACES, raceLoop, type Race } from './races.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, seed: { type: 'string' }, photos: { type: 'string' }, only: { type: 'string' } } });
const rounds = Number(values.rounds ?? 50);
const seed = values.seed === undefined ? Math.floor(Math.random() * 1e6) : Number(values.seed);
const only = (values.only?.split(',').map((s) => s.trim()) ?? [...RACES]) as Race[];
for (const r of only) if (!(RACES as readonly string[]).includes(r)) throw new Error(`--only: unknown race "${r}" (races: ${RACES.join(', ')})`);
const started = Date.now();
process.stdout.write(`race loop: seed ${seed}, ${rounds} round(s) of ${only.join(', ')}\n`);
const r = await raceLoop({ seed, rounds, photos: Number(values.photos ?? 12), only, log: (l) => process.stdout.write(`  ${l}\n`) });
process.stdout.write(`\nrace loop done in ${((Date.now() - started) / 60_000).toFixed(1)} min (seed ${seed})\n`);
for (const race of only) {
  const failed = new Set(r.violations.filter((v) => v.startsWith(`${race} `)).map((v) => v.split(':')[0]));
  process.stdout.write(`  ${race.padEnd(14)} ${String(r.runs[race] ?? 0).padStart(4)} runs, ${String(failed.size).padStart(3)} with violations\n`);
}
process.stdout.write(`  files lost: ${r.lost}\n`);
for (const v of r.violations.slice(0, 50)) process.stdout.write(`  ✗ ${v}\n`);
process.exitCode = r.violations.length === 0 && r.lost === 0 ? 0 : 1;
