import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { jpeg, runCli, seededRandom, startCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
import { PauseControl } from '../support/pause.js';
import { ageTrash, damageBlobsIndex, killedUpload, lostInLibrary, trashedLibrary } from '../race/race-helpers.js';

/** The race scenarios (issue #15); each round of each is run against real processes. */
export const RACES = ['purge-gap', 'purge-free', 'run-purge', 'gc-upload', 'gc-held', 'damaged-index', 'clock'] as const;
/** One race scenario. */
export type Race = (typeof RACES)[number];

/** What the race loop did. */
export interface RaceLoopResult {
  runs: Partial<Record<Race, number>>;
  violations: string[];
  /** Files whose bytes were lost (the loop's promise: 0). */
  lost: number;
}

/**
 * Races between processes on one library, each interleaving placed by `pause` fault rules
 * ([Note: Fault injection]) at a seeded step, then checked file by file:
 * - purge-gap: `trash empty` held between its row deletions and its blob removal while an upload
 *   of the same bytes (other names) runs, itself held at its k-th commit and released together;
 * - purge-free: that upload held at its k-th commit, `trash empty` started, both let go at once;
 * - run-purge: the same against the purge `run` does on start (and daily), Trash 31 days old;
 * - gc-upload: an upload held between placing a blob and committing it while another process
 *   opens the library after a crash and collects stray blobs;
 * - gc-held: the other way round: the collector has found that blob but is held before moving
 *   it; the upload commits; the collector must see the new row under the write lock and keep it;
 * - damaged-index: one byte changed in the blobs index; open after a crash, check, check --repair
 *   and trash empty must leave every stored blob in place;
 * - clock: Trash dated 1970 and 2099; the purge of `run` must keep every file.
 */
export async function raceLoop(opts: { seed: number; rounds: number; photos?: number; only?: readonly Race[]; log?: (line: string) => void }): Promise<RaceLoopResult> {
  const rand = seededRandom(opts.seed);
  const n = opts.photos ?? 12;
  const result: RaceLoopResult = { runs: {}, violations: [], lost: 0 };
  const libraries = new Map<Race, string>(); // one library per scenario, reused round after round
  const libraryFor = (race: Race) => libraries.get(race) ?? libraries.set(race, path.join(tempDir('shoebox-races-'), 'lib')).get(race)!;
  for (let round = 0; round < opts.rounds; round++) {
    for (const race of opts.only ?? RACES) {
      const tag = `${opts.seed}-${round}-${race}`;
      const k = 1 + Math.floor(rand() * n);
      let found: Found;
      try {
        found = await SCENARIOS[race](libraryFor(race), tag, n, k);
      } catch (err) {
        found = { lost: [], problems: [(err as Error).message] };
      }
      result.runs[race] = (result.runs[race] ?? 0) + 1;
      result.lost += found.lost.length;
      for (const l of [...found.lost, ...found.problems]) result.violations.push(`${race} round ${round} (k=${k}): ${l}`);
      opts.log?.(`${race} round ${round}: ${found.lost.length === 0 && found.problems.length === 0 ? 'ok' : `${found.lost.length} lost, ${found.problems.length} other problem(s)`}`);
    }
  }
  return result;
}

/** What a round found: files whose bytes were lost, and anything else wrong (an exit code, a race that did not happen). */
interface Found {
  lost: string[];
  problems: string[];
}

let uniqueSize = 0;

const SCENARIOS: Record<Race, (library: string, tag: string, n: number, k: number) => Promise<Found>> = {
  'purge-gap': async (library, tag, n, k) => {
    const t = await trashedLibrary(n, tag, library);
    const pause = new PauseControl();
    const purge = startCli(['trash', 'empty', '--yes'], { library, env: pause.env('purge-committed') });
    await pause.reached('purge-committed', () => purge.child.exitCode !== null);
    const up = startCli(['--json', 'upload', t.again], { library, env: pause.env(`upload-commit:${k}`) });
    await pause.reached('upload-commit', () => up.child.exitCode !== null);
    pause.release('purge-committed');
    pause.release('upload-commit');
    return { problems: [...(await exits(purge.done, 'trash empty')), ...(await uploaded(up.done))], lost: lostInLibrary(t) };
  },
  'purge-free': async (library, tag, n, k) => {
    const t = await trashedLibrary(n, tag, library);
    const pause = new PauseControl();
    const up = startCli(['--json', 'upload', t.again], { library, env: pause.env(`upload-commit:${k}`) });
    await pause.reached('upload-commit', () => up.child.exitCode !== null);
    const purge = startCli(['trash', 'empty', '--yes'], { library });
    pause.release('upload-commit');
    return { problems: [...(await exits(purge.done, 'trash empty')), ...(await uploaded(up.done))], lost: lostInLibrary(t) };
  },
  'run-purge': async (library, tag, n, k) => {
    const t = await trashedLibrary(n, tag, library);
    ageTrash(library);
    const pause = new PauseControl();
    const run = startCli(['run'], { library, env: pause.env('purge-committed') });
    await pause.reached('purge-committed', () => run.child.exitCode !== null);
    const up = startCli(['--json', 'upload', t.again], { library, env: pause.env(`upload-commit:${k}`) });
    await pause.reached('upload-commit', () => up.child.exitCode !== null);
    pause.release('purge-committed');
    pause.release('upload-commit');
    const upload = await uploaded(up.done);
    await waitFor(() => fs.existsSync(path.join(library, 'run-status.json')) || run.child.exitCode !== null, 120_000, 'run to start');
    run.child.kill('SIGTERM');
    const trash = JSON.parse((await runCli(['--json', 'trash', 'ls'], { library })).stdout || '[]') as unknown[];
    return { problems: [...(await exits(run.done, 'run')), ...upload, ...(trash.length > 0 ? [`run's purge left ${trash.length} expired file(s) in Trash`] : [])], lost: lostInLibrary(t) };
  },
  'gc-upload': async (library, tag, n) => {
    const held = await heldFreshUpload(library, tag, n);
    const status = await runCli(['status'], { library });
    const quarantined = quarantinedOf(library, held.hashes).length > 0;
    held.pause.release('upload-commit');
    return {
      problems: [
        ...(status.code === 0 ? [] : [`status exited ${status.code}`]),
        ...(quarantined ? [] : ['the held upload\'s placed blob was not collected: the race did not happen']),
        ...(await uploaded(held.up.done)),
      ],
      lost: held.lost(),
    };
  },
  'gc-held': async (library, tag, n) => {
    const held = await heldFreshUpload(library, tag, n);
    const gc = startCli(['status'], { library, env: held.pause.env('gc-move') });
    await held.pause.reached('gc-move', () => gc.child.exitCode !== null); // the held upload's blob is a candidate now
    held.pause.release('upload-commit');
    const upload = await uploaded(held.up.done); // commits while the collector waits
    held.pause.release('gc-move');
    const status = await exits(gc.done, 'status');
    const moved = quarantinedOf(library, held.hashes);
    return {
      problems: [...status, ...upload, ...moved.map((h) => `${h.slice(0, 12)} was quarantined although its row had been committed`)],
      lost: held.lost(),
    };
  },
  'damaged-index': async (_library, tag, n) => {
    const t = await trashedLibrary(n, tag); // a fresh library each round: the damage stays
    const up = await runCli(['upload', t.again], { library: t.library });
    if (up.code !== 0) return { lost: [], problems: [`upload exited ${up.code}`] };
    const before = blobFiles(t.library);
    await killedUpload(t.library, path.dirname(t.again));
    damageBlobsIndex(t.library);
    await runCli(['status'], { library: t.library });
    await runCli(['check'], { library: t.library });
    await runCli(['check', '--repair'], { library: t.library });
    await runCli(['trash', 'empty', '--yes'], { library: t.library });
    const removed = [...before].filter(([p, size]) => !fs.existsSync(p) || fs.statSync(p).size !== size);
    return { problems: [], lost: removed.map(([p]) => `${path.basename(p).slice(0, 12)}: a stored blob was removed while the index was damaged`) };
  },
  clock: async (library, tag, n) => {
    await trashedLibrary(n, tag, library);
    const db = new Database(path.join(library, 'catalog.sqlite'));
    db.prepare(`UPDATE files SET trashed_at = CASE WHEN id % 2 = 0 THEN 3600000 ELSE ? END WHERE trashed_at IS NOT NULL`).run(Date.UTC(2099, 0, 1));
    db.close();
    const run = startCli(['run'], { library });
    await waitFor(() => fs.existsSync(path.join(library, 'run-status.json')) || run.child.exitCode !== null, 120_000, 'run to start');
    run.child.kill('SIGTERM');
    const ran = await exits(run.done, 'run');
    const trash = JSON.parse((await runCli(['--json', 'trash', 'ls'], { library })).stdout || '[]') as Array<{ trashedAt: number }>;
    const bad = trash.filter((f) => f.trashedAt < Date.now() - 3_600_000 || f.trashedAt > Date.now() + 60_000);
    const problems = [...ran, ...bad.map(() => 'a Trash date was not re-stamped')];
    assertExit(await runCli(['trash', 'empty', '--yes'], { library }), 'trash empty', problems); // next round starts with an empty Trash
    return { problems, lost: trash.length < n ? [`${n - trash.length} file(s) trashed under a wrong clock were purged`] : [] };
  },
};

/**
 * Fresh photos (sizes no stored blob has, so the upload places each blob as it hashes it, before
 * its commit) uploaded by a process held at its first commit, with a killed upload's leftovers
 * beside it: the library's next open collects stray blobs while this upload is held.
 */
async function heldFreshUpload(library: string, tag: string, n: number) {
  const root = tempDir('shoebox-races-gc-');
  const files = new Map<string, Buffer>();
  for (let i = 0; i < n; i++) files.set(`IMG_${i}.jpg`, await jpeg(`${tag}-${i}`, 100_000 + 64 * uniqueSize++));
  writeTree(path.join(root, `Fresh-${tag}`), Object.fromEntries(files));
  const pause = new PauseControl();
  const up = startCli(['--json', 'upload', path.join(root, `Fresh-${tag}`)], { library, env: pause.env('upload-commit') });
  await pause.reached('upload-commit', () => up.child.exitCode !== null); // its first blob placed, not committed
  await killedUpload(library, root); // a dead process: the next open collects stray blobs
  // The collector leaves blob files written since another live process registered ([Note: Blobs
  // in flight]): the held upload's would not be touched. These races test the safety net behind
  // that rule (a blob the collector takes for a stray all the same: a coarse or skewed clock), so
  // every blob file is dated an hour back.
  const hourAgo = new Date(Date.now() - 3_600_000);
  const objects = path.join(library, 'objects');
  for (const d of fs.readdirSync(objects)) for (const f of fs.readdirSync(path.join(objects, d))) fs.utimesSync(path.join(objects, d, f), hourAgo, hourAgo);
  return {
    pause,
    up,
    hashes: new Set([...files.values()].map((b) => createHash('sha256').update(b).digest('hex'))),
    lost: () => lostInLibrary({ library, again: '', album: `Fresh-${tag}`, againFiles: files }),
  };
}

/** The blobs among `hashes` that were moved to the library's quarantine. */
function quarantinedOf(library: string, hashes: Set<string>): string[] {
  const dir = path.join(library, 'quarantine');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((q) => hashes.has(q)) : [];
}

async function exits(done: Promise<{ code: number | null; stderr: string }>, what: string): Promise<string[]> {
  const r = await done;
  return r.code === 0 ? [] : [`${what} exited ${r.code}: ${r.stderr.slice(0, 200)}`];
}

/** An upload must finish with every file backed up. */
async function uploaded(done: Promise<{ code: number | null; stdout: string; stderr: string }>): Promise<string[]> {
  const r = await done;
  if (r.code !== 0) return [`upload exited ${r.code}: ${r.stderr.slice(0, 200)}`];
  const s = JSON.parse(r.stdout) as { failed: number };
  return s.failed === 0 ? [] : [`upload reported ${s.failed} failed`];
}

function assertExit(r: { code: number | null; stderr: string }, what: string, out: string[]): void {
  if (r.code !== 0) out.push(`${what} exited ${r.code}: ${r.stderr.slice(0, 200)}`);
}

function blobFiles(library: string): Map<string, number> {
  const objects = path.join(library, 'objects');
  const out = new Map<string, number>();
  for (const d of fs.readdirSync(objects)) for (const f of fs.readdirSync(path.join(objects, d))) out.set(path.join(objects, d, f), fs.statSync(path.join(objects, d, f)).size);
  return out;
}
