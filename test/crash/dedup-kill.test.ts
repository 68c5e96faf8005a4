// Crash safety of Deduplicate files (issue #5): `shoebox dedup --yes` over 1,000 groups is
// killed with SIGKILL at random moments, each time from the same starting library. After each
// kill every group is either fully applied or untouched, the catalog passes its checks and no
// blob a live file needs is missing. Reproduce with SHOEBOX_TEST_SEED.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { jpeg, runCli, seededRandom, spawnCli, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';

const GROUPS = 1000;
const KILLS = 20;

describe('dedup killed with SIGKILL during apply', () => {
  it(`${GROUPS} groups, ${KILLS} kills: every group fully applied or untouched`, { timeout: 300_000 }, async (t) => {
    const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
    t.diagnostic(`seed ${seed}`);
    const rand = seededRandom(seed);
    const pristine = path.join(tempDir(), 'pristine');
    const root = tempDir();
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < GROUPS; i++) {
      const bytes = await jpeg(`dk-${i}`);
      files[`Originals/P${i}.jpg`] = bytes;
      files[`Copies/P${i} copy.jpg`] = bytes; // another name: a second library file (DESIGN §3 rule 3)
    }
    writeTree(root, files);
    for (const a of ['Originals', 'Copies']) assert.equal((await runCli(['upload', path.join(root, a)], { library: pristine })).code, 0);

    let kills = 0;
    const outcomes = { applied: 0, untouched: 0 };
    for (let k = 0; k < KILLS * 2 && kills < KILLS; k++) {
      const library = path.join(tempDir(), `run-${k}`);
      fs.cpSync(pristine, library, { recursive: true });
      const child = spawnCli(['dedup', '--yes'], { library });
      const exited = once(child, 'exit');
      await Promise.race([sleep(200 + rand() * 450), exited]); // the whole run takes ~0.65 s here
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      await exited;
      const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
      const groups = db
        .prepare(
          `SELECT f.blob_hash AS hash, SUM(f.trashed_at IS NULL) AS live, COUNT(*) AS total,
                  (SELECT COUNT(DISTINCT a.name) FROM files k JOIN memberships m ON m.file_id = k.id JOIN albums a ON a.id = m.album_id
                   WHERE k.blob_hash = f.blob_hash AND k.trashed_at IS NULL AND a.kind = 'user') AS albums,
                  (SELECT COUNT(*) FROM trash_memberships tm JOIN files k ON k.id = tm.file_id WHERE k.blob_hash = f.blob_hash) AS remembered
           FROM files f GROUP BY f.blob_hash`,
        )
        .all() as Array<{ hash: string; live: number; total: number; albums: number; remembered: number }>;
      db.close();
      assert.equal(groups.length, GROUPS);
      for (const g of groups) {
        assert.equal(g.total, 2);
        assert.equal(g.albums, 2, `group ${g.hash.slice(0, 12)}: both albums still show the photo`);
        if (g.live === 2) {
          assert.equal(g.remembered, 0, `group ${g.hash.slice(0, 12)} untouched`);
          outcomes.untouched++;
        } else {
          assert.equal(g.live, 1, `group ${g.hash.slice(0, 12)} applied: one live copy`);
          assert.equal(g.remembered, 1, `group ${g.hash.slice(0, 12)} applied: the trashed copy remembers its album`);
          outcomes.applied++;
        }
      }
      const v = verifyLibrary(library);
      assert.deepEqual(v.problems, []);
      fs.rmSync(library, { recursive: true, force: true });
    }
    t.diagnostic(`killed ${kills} times; groups seen applied ${outcomes.applied}, untouched ${outcomes.untouched}`);
    assert.ok(kills >= KILLS, `only ${kills} runs were still applying when killed`);
    assert.ok(outcomes.applied > 0 && outcomes.untouched > 0, 'kills landed in the middle of applying');
  });
});
