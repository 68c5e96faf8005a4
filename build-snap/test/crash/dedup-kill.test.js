// Crash safety of Deduplicate files (issue #5): `shoebox dedup --yes` over 1,000 groups is
// killed with SIGKILL mid-apply, each time from the same starting library. The kills are placed by
// construction (issue #15): at a seeded step inside a group's transaction, right after a group
// committed, or right after the process reported a group done (a kill timed from its own progress),
// spread over the whole apply. So the test knows how many groups each kill must leave applied;
// it checks that, and that every group is either fully applied or untouched, the catalog passes
// its checks and no blob a live file needs is missing. Reproduce with SHOEBOX_TEST_SEED.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { describePlan, runKilled, spreadSteps } from '../support/crash-kit.js';
import { jpeg, runCli, seededRandom, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';
const GROUPS = 1000;
const KILLS = 21;
describe('dedup killed with SIGKILL during apply', () => {
    it(`${GROUPS} groups, ${KILLS} kills at chosen steps: each lands mid-apply, every group fully applied or untouched`, { timeout: 1_200_000 }, async (t) => {
        const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
        t.diagnostic(`seed ${seed}`);
        const rand = seededRandom(seed);
        const pristine = path.join(tempDir(), 'pristine');
        const root = tempDir();
        const files = {};
        for (let i = 0; i < GROUPS; i++) {
            const bytes = await jpeg(`dk-${i}`);
            files[`Originals/P${i}.jpg`] = bytes;
            files[`Copies/P${i} copy.jpg`] = bytes; // another name: a second library file (DESIGN §3 rule 3)
        }
        writeTree(root, files);
        for (const a of ['Originals', 'Copies'])
            assert.equal((await runCli(['upload', path.join(root, a)], { library: pristine })).code, 0);
        // Three kinds, interleaved over steps spread across the whole apply (1 … GROUPS-2).
        const plans = spreadSteps(rand, KILLS, 1, GROUPS - 2).map((step, i) => i % 3 === 0 ? { kind: 'point', point: 'dedup-group-tx', step }
            : i % 3 === 1 ? { kind: 'point', point: 'dedup-group', step }
                : { kind: 'progress', point: 'dedup-group', after: step, backstop: Math.min(step + 25, GROUPS - 1) });
        let midApply = 0;
        const outcomes = { applied: 0, untouched: 0 };
        for (const [k, plan] of plans.entries()) {
            const library = path.join(tempDir(), `run-${k}`);
            fs.cpSync(pristine, library, { recursive: true });
            const r = await runKilled(['dedup', '--yes'], { library, plan });
            assert.ok(r.landed, `kill ${describePlan(plan)} landed (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-400)}`);
            const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
            const groups = db
                .prepare(`SELECT f.blob_hash AS hash, SUM(f.trashed_at IS NULL) AS live, COUNT(*) AS total,
                  (SELECT COUNT(DISTINCT a.name) FROM files k JOIN memberships m ON m.file_id = k.id JOIN albums a ON a.id = m.album_id
                   WHERE k.blob_hash = f.blob_hash AND k.trashed_at IS NULL AND a.kind = 'user') AS albums,
                  (SELECT COUNT(*) FROM trash_memberships tm JOIN files k ON k.id = tm.file_id WHERE k.blob_hash = f.blob_hash) AS remembered
           FROM files f GROUP BY f.blob_hash`)
                .all();
            db.close();
            assert.equal(groups.length, GROUPS);
            let applied = 0;
            for (const g of groups) {
                assert.equal(g.total, 2);
                assert.equal(g.albums, 2, `group ${g.hash.slice(0, 12)}: both albums still show the photo`);
                if (g.live === 2) {
                    assert.equal(g.remembered, 0, `group ${g.hash.slice(0, 12)} untouched`);
                    outcomes.untouched++;
                }
                else {
                    assert.equal(g.live, 1, `group ${g.hash.slice(0, 12)} applied: one live copy`);
                    assert.equal(g.remembered, 1, `group ${g.hash.slice(0, 12)} applied: the trashed copy remembers its album`);
                    outcomes.applied++;
                    applied++;
                }
            }
            // Exactly where the kill landed: inside group n's transaction (n-1 applied), right after group
            // n committed (n applied), or after the process reported group n done and before its backstop.
            if (plan.kind === 'point')
                assert.equal(applied, plan.point === 'dedup-group-tx' ? plan.step - 1 : plan.step, describePlan(plan));
            else
                assert.ok(applied >= plan.after && applied <= plan.backstop && (applied === r.lastPass || applied === r.lastPass + 1), `${describePlan(plan)}: ${applied} applied, last reported ${r.lastPass}`);
            if (applied < GROUPS)
                midApply++;
            const v = verifyLibrary(library);
            assert.deepEqual(v.problems, []);
            fs.rmSync(library, { recursive: true, force: true });
        }
        t.diagnostic(`${midApply} of ${KILLS} kills landed mid-apply; groups seen applied ${outcomes.applied}, untouched ${outcomes.untouched}`);
        assert.equal(midApply, KILLS, 'every kill landed mid-apply');
        assert.ok(outcomes.applied > 0 && outcomes.untouched > 0);
    });
});
//# sourceMappingURL=dedup-kill.test.js.map