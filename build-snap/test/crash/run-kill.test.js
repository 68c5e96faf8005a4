// Crash safety of `shoebox run` (issue #4): killed with SIGKILL during a 5k-file initial sync
// while files are being added, edited, renamed and deleted. The kills are placed by construction
// (issue #15) at seeded steps spread over the sync: mid-copy of a blob, with a blob placed but its
// row not committed, inside a file's commit transaction, after the n-th synced file, and right
// after the process reported a synced file (timed from its own progress). Afterwards the library
// matches the folders exactly: every file on disk is in its album once with its current content, nothing
// else is in those albums, and every blob verifies. Reproduce with SHOEBOX_TEST_SEED.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { describePlan, killKind, runKilled, spreadSteps } from '../support/crash-kit.js';
import { jpeg, parseLines, runCli, seededRandom, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';
const FILES = 5000;
const FOLDERS = 50;
const KILLS = 22;
/** Source records of the watch, and files in the watched folders now. */
function syncProgress(library, root) {
    const onDisk = fs.readdirSync(root).reduce((n, d) => n + fs.readdirSync(path.join(root, d)).length, 0);
    const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
    try {
        return { synced: db.prepare('SELECT COUNT(*) AS n FROM source_records WHERE watch_id IS NOT NULL').get().n, onDisk };
    }
    finally {
        db.close();
    }
}
describe('run killed with SIGKILL during initial sync and live changes', () => {
    it(`${FILES} files, ${KILLS} kills at chosen steps: each lands mid-sync; the library matches the folders exactly`, { timeout: 1_200_000 }, async (t) => {
        const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
        t.diagnostic(`seed ${seed}`);
        const rand = seededRandom(seed);
        const root = path.join(tempDir(), 'Camera');
        const library = path.join(tempDir(), 'lib');
        fs.mkdirSync(path.join(root, 'F00'), { recursive: true });
        assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library })).code, 0);
        const files = {};
        for (let i = 0; i < FILES; i++)
            files[`F${String(i % FOLDERS).padStart(2, '0')}/IMG_${String(i).padStart(5, '0')}.jpg`] = await jpeg(`run-${i}`, (i % 5) * 1500);
        writeTree(root, files);
        let serial = 0;
        const liveChange = async () => {
            const dir = path.join(root, `F${String(Math.floor(rand() * FOLDERS)).padStart(2, '0')}`);
            const names = fs.readdirSync(dir);
            const pick = names[Math.floor(rand() * names.length)];
            const r = rand();
            if (r < 0.4 || !pick)
                fs.writeFileSync(path.join(dir, `NEW_${serial++}.jpg`), await jpeg(`new-${seed}-${serial}`));
            else if (r < 0.6)
                fs.writeFileSync(path.join(dir, pick), await jpeg(`edit-${seed}-${serial++}`));
            else if (r < 0.8)
                fs.renameSync(path.join(dir, pick), path.join(dir, `REN_${serial++}_${pick}`));
            else
                fs.rmSync(path.join(dir, pick));
        };
        const newFile = async () => fs.writeFileSync(path.join(root, 'F00', `NEW_${serial++}.jpg`), await jpeg(`new-${seed}-${serial}`));
        // Where the sync as a whole should be at each kill: steps spread over the initial sync. A
        // run's steps count from its start; live changes keep adding work, so every step comes.
        const targets = spreadSteps(rand, KILLS, 1, FILES - 2);
        const kinds = ['sync-file', 'file-commit', 'blob-placed', 'blob-write', 'progress'];
        const landed = {};
        let duringInitial = 0;
        for (const [k, target] of targets.entries()) {
            const { synced, onDisk } = syncProgress(library, root);
            const remaining = Math.max(1, onDisk - synced);
            const step = Math.min(remaining, Math.max(1, target - synced));
            const kind = kinds[k % kinds.length];
            const plan = kind === 'progress' ? { kind: 'progress', point: 'sync-file', after: step, backstop: step + 50 } : { kind: 'point', point: kind, step };
            // Up to 40 live changes of every kind per run; after that a new file (work for any point)
            // every 10th turn, so a slow machine does not pile up changes while the step comes.
            let turns = 0;
            const meanwhile = () => (turns++ < 40 ? liveChange() : turns % 10 === 0 ? newFile() : undefined);
            const r = await runKilled(['run'], { library, plan, meanwhile, paceMs: () => 20 + rand() * 120 });
            assert.ok(r.landed, `kill ${k} at ${describePlan(plan)} landed mid-sync (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-400)}`);
            landed[killKind(plan)] = (landed[killKind(plan)] ?? 0) + 1;
            if (step < remaining)
                duringInitial++;
        }
        const midSync = Object.values(landed).reduce((a, b) => a + b, 0);
        t.diagnostic(`${midSync} of ${KILLS} kills landed mid-sync (${duringInitial} within the initial sync's work): ${JSON.stringify(landed)}; ${serial} live changes`);
        assert.equal(midSync, KILLS);
        // Let a clean run catch up and settle, then stop it with Ctrl-C.
        const child = spawnCli(['run'], { library });
        const exited = once(child, 'exit');
        await waitFor(async () => {
            const s = JSON.parse((await runCli(['--json', 'status'], { library })).stdout);
            return s.sync && s.sync.watches[0]?.state === 'watching' && s.sync.queued === 0 && s.sync.state !== 'syncing';
        }, 600_000, 'the final run to catch up'); // a liveness limit only
        child.kill('SIGINT');
        const [code] = (await exited);
        assert.equal(code, 0);
        const expected = new Set();
        for (const dir of fs.readdirSync(root)) {
            for (const name of fs.readdirSync(path.join(root, dir))) {
                const hash = createHash('sha256').update(fs.readFileSync(path.join(root, dir, name))).digest('hex');
                expected.add(`${dir}/${name}/${hash}`);
            }
        }
        const rows = parseLines((await runCli(['--json', 'ls'], { library })).stdout).filter((r) => r.album !== 'Uncategorized');
        const actual = rows.map((r) => `${r.album}/${r.name}/${r.hash}`);
        assert.equal(actual.length, new Set(actual).size, 'no file twice in an album');
        assert.deepEqual([...expected].filter((e) => !actual.includes(e)), [], 'every file on disk is backed up with its current content');
        assert.deepEqual(actual.filter((a) => !expected.has(a)), [], 'nothing else is in the watched albums');
        const v = verifyLibrary(library);
        assert.deepEqual(v.problems, []);
        assert.equal(v.tempFiles, 0);
    });
});
//# sourceMappingURL=run-kill.test.js.map