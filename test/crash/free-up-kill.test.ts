// Crash safety of Free up space (issue #20): `shoebox free-up --yes` over 2,000 backed-up sources
// is killed with SIGKILL while it moves them to the Trash, each time from the same starting state.
// The kills are placed by construction (issue #15): right after a source's intent committed,
// after its place in the Trash was reserved (.trashinfo written, file not moved), right after
// it was moved, or right after the process reported a source done (a kill timed from its own
// progress); seeded steps spread over the whole apply. So the test knows how many sources each
// kill must leave in the Trash, and checks that; that every source is either in place or in the
// Trash with its exact bytes (never both, never neither), its library copy verified; and that the
// next free-up settles what the kill cut short (no reservation without its file, every freed
// source remembered) and, every fourth time, finishes. Reproduce with SHOEBOX_TEST_SEED.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { describePlan, killKind, runKilled, spreadSteps, type KillPlan } from '../support/crash-kit.js';
import { jpeg, runCli, seededRandom, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';

const FILES = 2000;
const KILLS = 24;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('free-up killed with SIGKILL while moving sources to the Trash', () => {
  it(`${FILES} sources, ${KILLS} kills at chosen steps: each lands mid-free-up; every source in place or in the Trash, its library copy verified`, { timeout: 3_600_000 }, async (t) => {
    const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
    t.diagnostic(`seed ${seed}`);
    const rand = seededRandom(seed);
    const pristine = tempDir();
    const pristineLib = path.join(pristine, 'lib');
    const pristineSrc = path.join(pristine, 'src');
    const tree: Record<string, Buffer> = {};
    for (let i = 0; i < FILES; i++) tree[`D${String(i % 20).padStart(2, '0')}/IMG_${String(i).padStart(4, '0')}.jpg`] = await jpeg(`free-kill-${i}`, 600);
    writeTree(pristineSrc, tree);
    // Whole-second mtimes: every copy of the tree below has exactly the recorded ones.
    for (const rel of Object.keys(tree)) fs.utimesSync(path.join(pristineSrc, rel), 1_700_000_000 + Number(rel.slice(8, 12)), 1_700_000_000 + Number(rel.slice(8, 12)));
    // The sources must sit where they were backed up from: one place, put back before each run.
    const root = path.join(tempDir(), 'Photos');
    fs.cpSync(pristineSrc, root, { recursive: true, preserveTimestamps: true });
    assert.equal((await runCli(['upload', root], { library: pristineLib })).code, 0);
    const expected = new Map(Object.entries(tree).map(([rel, b]) => [path.join(root, rel), sha(b)]));

    const kinds = ['free-up-intent', 'free-up-reserved', 'free-up-looked', 'free-up-moved', 'progress'] as const;
    const plans: KillPlan[] = spreadSteps(rand, KILLS, 1, FILES - 2).map((step, i) => {
      const kind = kinds[i % kinds.length]!;
      return kind === 'progress' ? { kind: 'progress', point: 'free-up-file', after: step, backstop: Math.min(step + 25, FILES - 1) } : { kind: 'point', point: kind, step };
    });
    let midFreeUp = 0;
    let finished = 0;
    const tally = new Map<string, number>();
    for (const [k, plan] of plans.entries()) {
      const library = path.join(tempDir(), `run-${k}`);
      fs.cpSync(pristineLib, library, { recursive: true });
      fs.rmSync(root, { recursive: true, force: true });
      fs.cpSync(pristineSrc, root, { recursive: true, preserveTimestamps: true });
      const data = path.join(tempDir(), `data-${k}`);
      const trashFiles = path.join(data, 'Trash/files');
      const trashInfo = path.join(data, 'Trash/info');
      const env = { XDG_DATA_HOME: data };
      const r = await runKilled(['free-up', '--yes', root], { library, plan, env });
      assert.ok(r.landed, `kill ${describePlan(plan)} landed (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-400)}`);

      // Every source is in exactly one place with its exact bytes.
      const inTrash = new Set(fs.existsSync(trashFiles) ? fs.readdirSync(trashFiles) : []);
      let moved = 0;
      for (const [p, hash] of expected) {
        const here = fs.existsSync(p);
        const there = inTrash.has(path.basename(p));
        assert.ok(here !== there, `${p}: ${here ? 'in place' : 'not in place'}, ${there ? 'in the Trash' : 'not in the Trash'} after ${describePlan(plan)}`);
        assert.equal(sha(fs.readFileSync(here ? p : path.join(trashFiles, path.basename(p)))), hash, `${p}: bytes unchanged`);
        if (there) moved++;
      }
      assert.equal(inTrash.size, moved, 'nothing else in the Trash');
      // Exactly where the kill landed.
      if (plan.kind === 'point') assert.equal(moved, plan.point === 'free-up-moved' ? plan.step : plan.step - 1, describePlan(plan));
      else assert.ok(moved >= plan.after && moved <= plan.backstop && (moved === r.lastPass || moved === r.lastPass + 1), `${describePlan(plan)}: ${moved} moved, last reported ${r.lastPass}`);
      if (moved < FILES) midFreeUp++;
      tally.set(killKind(plan), (tally.get(killKind(plan)) ?? 0) + 1);
      // Every library copy verified (all of them: the freed ones' included), nothing else amiss.
      assert.deepEqual(verifyLibrary(library).problems, []);
      const infos = new Set(fs.existsSync(trashInfo) ? fs.readdirSync(trashInfo) : []);
      for (const n of inTrash) assert.ok(infos.has(`${n}.trashinfo`), `${n} in the Trash has its info file (written before the move)`);

      // The next free-up settles what the kill cut short first (a review that reads nothing: every
      // file is outside its date filter); every fourth run then also finishes the job.
      const settle = await runCli(['free-up', '--dry-run', '--older-than', '1970-01-02', root], { library, env });
      assert.equal(settle.code, 0, settle.stderr);
      assert.deepEqual(fs.readdirSync(trashInfo).sort(), fs.readdirSync(trashFiles).map((n) => `${n}.trashinfo`).sort(), 'no reservation without its file, no file without its info');
      const freedStates = () => {
        const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
        try {
          return { states: db.prepare('SELECT state, COUNT(*) AS n FROM freed_sources GROUP BY state').all(), albums: (db.prepare('SELECT COUNT(*) AS n FROM memberships').get() as { n: number }).n };
        } finally {
          db.close();
        }
      };
      assert.deepEqual(freedStates(), { states: moved ? [{ state: 'trashed', n: moved }] : [], albums: FILES }, 'every moved source is remembered as freed; every library file is still in its album');
      if (k % 4 === 3) {
        const again = await runCli(['--json', 'free-up', '--yes', root], { library, env });
        assert.equal(again.code, 0, again.stderr);
        assert.equal((JSON.parse(again.stdout) as { applied: { freed: number } }).applied.freed, FILES - moved);
        assert.equal(fs.readdirSync(trashFiles).length, FILES);
        assert.equal(fs.readdirSync(trashInfo).length, FILES);
        assert.deepEqual(freedStates(), { states: [{ state: 'trashed', n: FILES }], albums: FILES });
        finished++;
      }
      fs.rmSync(library, { recursive: true, force: true });
      fs.rmSync(data, { recursive: true, force: true });
    }
    t.diagnostic(`${midFreeUp} of ${KILLS} kills landed mid-free-up: ${[...tally].map(([k, n]) => `${k} ${n}`).join(', ')}; ${finished} runs finished afterwards`);
    assert.equal(midFreeUp, KILLS, 'every kill landed mid-free-up');
  });
});
