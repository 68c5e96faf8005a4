import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jpeg, runCli, seededRandom, spawnCli, tempDir, writeTree } from '../support/fixtures.js';
import { checkAfterCrash, matchesFolders, settle } from './invariants.js';
import { memoryMb } from '../support/process-stats.js';

/** What the crash loop did. */
export interface CrashLoopResult {
  seed: number;
  runs: Record<string, number>;
  kills: number;
  violations: string[];
  dataLost: number;
  peakRssMb: number;
}

/**
 * The crash loop (issue #11): real `shoebox run` (with live changes), `upload`, `dedup --yes`,
 * `trash empty` and `remote push` processes over a generated tree, each killed with SIGKILL at a
 * random moment; after every kill a clean process opens the library and checks every invariant;
 * every 40 kills and at the end the engine settles and the library must match the folders.
 */
export async function crashLoop(opts: { seed: number; kills: number; remote?: { url: string; endpoint: string; env: NodeJS.ProcessEnv } }): Promise<CrashLoopResult> {
  const rand = seededRandom(opts.seed);
  const base = tempDir('shoebox-torture-');
  const root = path.join(base, 'Camera');
  const incoming = path.join(base, 'Incoming');
  const library = path.join(base, 'lib');
  const env = opts.remote?.env ?? {};
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < 240; i++) files[`Roll${i % 12}/IMG_${i}.jpg`] = await jpeg(`torture-${opts.seed}-${i}`, (i % 4) * 6000);
  for (let i = 0; i < 12; i++) files[`Roll${i}/IMG_${i} copy.jpg`] = files[`Roll${i}/IMG_${i}.jpg`]!; // duplicates for dedup
  writeTree(root, files);
  fs.mkdirSync(incoming, { recursive: true });
  const must = async (args: string[]) => {
    const r = await runCli(args, { library, env });
    if (r.code !== 0) throw new Error(`set-up failed: shoebox ${args.join(' ')}: ${r.stderr}`);
  };
  await must(['watch', 'add', root, '--mode', 'separate']);
  if (opts.remote) await must(['remote', 'add', opts.remote.url, '--endpoint', opts.remote.endpoint]);

  let serial = 0;
  const liveChange = async () => {
    const dir = path.join(root, `Roll${Math.floor(rand() * 12)}`);
    const names = fs.readdirSync(dir);
    const pick = names[Math.floor(rand() * names.length)];
    const r = rand();
    if (r < 0.4 || !pick) fs.writeFileSync(path.join(dir, `NEW_${serial++}.jpg`), await jpeg(`torture-new-${opts.seed}-${serial}`));
    else if (r < 0.65) fs.writeFileSync(path.join(dir, pick), await jpeg(`torture-edit-${opts.seed}-${serial++}`));
    else if (r < 0.85) fs.renameSync(path.join(dir, pick), path.join(dir, `REN_${serial++}_${pick}`));
    else fs.rmSync(path.join(dir, pick));
  };

  const scenarios: Array<[string, string[]]> = [
    ['run', ['run']],
    ['upload', ['upload', incoming]],
    ['dedup --yes', ['dedup', '--yes']],
    ['trash empty', ['trash', 'empty', '--yes']],
    ...(opts.remote ? [['remote push', ['remote', 'push']] as [string, string[]]] : []),
  ];
  const result: CrashLoopResult = { seed: opts.seed, runs: {}, kills: 0, violations: [], dataLost: 0, peakRssMb: 0 };
  for (let i = 0; result.kills < opts.kills && i < opts.kills * 3; i++) {
    const [name, args] = scenarios[Math.floor(rand() * scenarios.length)]!;
    result.runs[name] = (result.runs[name] ?? 0) + 1;
    if (name === 'upload') for (let k = 0; k < 3; k++) fs.writeFileSync(path.join(incoming, `UP_${serial++}.jpg`), await jpeg(`torture-up-${opts.seed}-${serial}`, 3000));
    const child = spawnCli(args, { library, env });
    const exited = once(child, 'exit');
    // short commands finish in about half a second: kill them sooner so kills land mid-work
    const deadline = Date.now() + (name === 'run' || name === 'remote push' ? 150 + rand() * 1300 : 60 + rand() * 500);
    while (Date.now() < deadline && child.exitCode === null) {
      if (name === 'run') await liveChange();
      await sleep(30 + rand() * 120);
    }
    result.peakRssMb = Math.max(result.peakRssMb, memoryMb(child.pid).peak);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      result.kills++;
    }
    await exited;
    for (const v of await checkAfterCrash(library, env, false)) result.violations.push(`after ${name} (iteration ${i}): ${v}`);
    if (result.kills > 0 && result.kills % 40 === 0) {
      await settle(library, env);
      const m = await matchesFolders(library, root);
      result.violations.push(...m.violations.map((v) => `after settling at kill ${result.kills}: ${v}`));
      result.dataLost += m.lost;
    }
  }
  await settle(library, env);
  const final = await matchesFolders(library, root);
  result.violations.push(...final.violations.map((v) => `at the end: ${v}`));
  result.dataLost += final.lost;
  // An upload run to completion, then again: the second finds everything already backed up.
  const first = await runCli(['--json', 'upload', incoming], { library, env });
  const second = await runCli(['--json', 'upload', incoming], { library, env });
  const s2 = JSON.parse(second.stdout || '{}') as { stored?: number; created?: number; linked?: number; skipped?: number };
  if (first.code !== 0 || second.code !== 0 || (s2.stored ?? 1) + (s2.created ?? 1) + (s2.linked ?? 1) !== 0) {
    result.violations.push(`uploads after the loop: first exit ${first.code}, second exit ${second.code} ${second.stdout.slice(0, 200)}`);
    result.dataLost++;
  }
  result.violations.push(...(await checkAfterCrash(library, env)).map((v) => `at the end: ${v}`));
  return result;
}
