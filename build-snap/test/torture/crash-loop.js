import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { between, describePlan, killKind, runKilled } from '../support/crash-kit.js';
import { jpeg, runCli, seededRandom, tempDir, writeTree } from '../support/fixtures.js';
import { checkAfterCrash, matchesFolders, settle } from './invariants.js';
import { memoryMb } from '../support/process-stats.js';
function workIn(library) {
    const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
    const n = (sql) => db.prepare(sql).get().n;
    try {
        return {
            synced: n('SELECT COUNT(*) AS n FROM source_records WHERE watch_id IS NOT NULL'),
            dupGroups: n('SELECT COUNT(*) AS n FROM blobs WHERE live_files > 1'),
            trashed: n('SELECT COUNT(*) AS n FROM files WHERE trashed_at IS NOT NULL'),
            // blobs only trashed files use: `trash empty` removes each of them
            unlinkable: n(`SELECT COUNT(DISTINCT f.blob_hash) AS n FROM files f WHERE f.trashed_at IS NOT NULL
                     AND NOT EXISTS (SELECT 1 FROM files g WHERE g.blob_hash = f.blob_hash AND g.trashed_at IS NULL)
                     AND NOT EXISTS (SELECT 1 FROM live_parts l WHERE l.blob_hash = f.blob_hash)`),
            remotePending: n('SELECT COUNT(*) AS n FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM remote_objects o WHERE o.blob_hash = b.hash)'),
        };
    }
    finally {
        db.close();
    }
}
function countFiles(dir) {
    return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0);
}
/**
 * The crash loop (issues #11, #15): real `shoebox run` (with live changes), `upload`, `dedup
 * --yes`, `trash empty` and `remote push` processes over a generated tree, each killed with
 * SIGKILL mid-operation by construction: at a seeded step of a named fault point (the process
 * kills itself there) or right after it reported a step (a kill timed from its own progress,
 * with a stop a few steps later as the backstop). A command runs only when the catalog says it has
 * work, and its step is drawn within that work, so every kill lands mid-operation; one that does
 * not is a violation. After every kill a clean process opens the library and checks every
 * invariant; every 40 kills and at the end the engine settles and the library must match the folders.
 */
export async function crashLoop(opts) {
    const rand = seededRandom(opts.seed);
    const base = tempDir('shoebox-torture-');
    const root = path.join(base, 'Camera');
    const incoming = path.join(base, 'Incoming');
    const library = path.join(base, 'lib');
    const env = opts.remote?.env ?? {};
    const files = {};
    for (let i = 0; i < 240; i++)
        files[`Roll${i % 12}/IMG_${i}.jpg`] = await jpeg(`torture-${opts.seed}-${i}`, (i % 4) * 6000);
    for (let i = 0; i < 12; i++)
        files[`Roll${i}/IMG_${i} copy.jpg`] = files[`Roll${i}/IMG_${i}.jpg`]; // duplicates for dedup
    writeTree(root, files);
    fs.mkdirSync(incoming, { recursive: true });
    const must = async (args) => {
        const r = await runCli(args, { library, env });
        if (r.code !== 0)
            throw new Error(`set-up failed: shoebox ${args.join(' ')}: ${r.stderr}`);
    };
    await must(['watch', 'add', root, '--mode', 'separate']);
    if (opts.remote)
        await must(['remote', 'add', opts.remote.url, '--endpoint', opts.remote.endpoint]);
    let serial = 0;
    const liveChange = async () => {
        const dir = path.join(root, `Roll${Math.floor(rand() * 12)}`);
        const names = fs.readdirSync(dir);
        const pick = names[Math.floor(rand() * names.length)];
        const r = rand();
        if (r < 0.4 || !pick)
            fs.writeFileSync(path.join(dir, `NEW_${serial++}.jpg`), await jpeg(`torture-new-${opts.seed}-${serial}`));
        else if (r < 0.65)
            fs.writeFileSync(path.join(dir, pick), await jpeg(`torture-edit-${opts.seed}-${serial++}`));
        else if (r < 0.85)
            fs.renameSync(path.join(dir, pick), path.join(dir, `REN_${serial++}_${pick}`));
        else
            fs.rmSync(path.join(dir, pick));
    };
    /** New files for `upload`: three new photos, and sometimes a copy of a watched one under another name (work for dedup). */
    const newUploads = async () => {
        for (let k = 0; k < 3; k++)
            fs.writeFileSync(path.join(incoming, `UP_${serial++}.jpg`), await jpeg(`torture-up-${opts.seed}-${serial}`, 3000));
        if (rand() < 0.5) {
            const dir = path.join(root, `Roll${Math.floor(rand() * 12)}`);
            const pick = fs.readdirSync(dir)[0];
            if (pick)
                fs.copyFileSync(path.join(dir, pick), path.join(incoming, `DUP_${serial++}.jpg`));
        }
    };
    /** Moves one uploaded photo to Trash (`shoebox rm`), so `trash empty` has bytes to remove. */
    const trashAnUpload = async () => {
        const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
        const row = db.prepare(`SELECT f.id FROM files f JOIN memberships m ON m.file_id = f.id JOIN albums a ON a.id = m.album_id
                            WHERE a.name = 'Incoming' AND f.name LIKE 'UP\\_%' ESCAPE '\\' AND f.trashed_at IS NULL ORDER BY f.id LIMIT 1`).get();
        db.close();
        if (row)
            await must(['rm', String(row.id)]);
    };
    // Each command with the kill plans its current work allows (none: it does not run now).
    const pick = (xs) => xs[Math.floor(rand() * xs.length)];
    const plansFor = (name, w) => {
        switch (name) {
            case 'run': {
                // live changes go on until the step comes, so any step is reached
                const step = between(rand, 1, Math.max(1, Math.min(30, countFiles(root) - w.synced)));
                return [
                    { kind: 'point', point: 'sync-file', step }, { kind: 'point', point: 'file-commit', step },
                    { kind: 'point', point: 'blob-placed', step: between(rand, 1, 5) }, { kind: 'progress', point: 'sync-file', after: step, backstop: step + 10 },
                ];
            }
            case 'upload': {
                const total = countFiles(incoming); // every file is walked; the 3 just written are new blobs
                return [
                    { kind: 'point', point: 'upload-file', step: between(rand, 1, total - 1) }, { kind: 'point', point: 'file-commit', step: between(rand, 1, total - 1) },
                    { kind: 'point', point: 'blob-placed', step: between(rand, 1, 3) }, { kind: 'progress', point: 'upload-file', after: between(rand, 1, total - 2), backstop: total - 1 },
                ];
            }
            case 'dedup --yes':
                return w.dupGroups === 0 ? [] : [
                    { kind: 'point', point: 'dedup-group-tx', step: between(rand, 1, w.dupGroups) },
                    ...(w.dupGroups >= 2 ? [{ kind: 'point', point: 'dedup-group', step: between(rand, 1, w.dupGroups - 1) }] : []),
                    ...(w.dupGroups >= 3 ? [{ kind: 'progress', point: 'dedup-group', after: between(rand, 1, w.dupGroups - 2), backstop: w.dupGroups - 1 }] : []),
                ];
            case 'trash empty':
                return w.trashed === 0 ? [] : [
                    { kind: 'point', point: 'purge-committed', step: 1 },
                    ...(w.unlinkable >= 1 ? [{ kind: 'point', point: 'purge-unlink', step: between(rand, 1, w.unlinkable) }] : []),
                ];
            case 'remote push':
                return w.remotePending === 0 ? [] : [
                    { kind: 'point', point: 'remote-blob', step: between(rand, 1, w.remotePending) },
                    ...(w.remotePending >= 2 ? [{ kind: 'progress', point: 'remote-blob', after: between(rand, 1, w.remotePending - 1), backstop: w.remotePending }] : []),
                ];
            default:
                throw new Error(`unknown command ${name}`);
        }
    };
    const scenarios = [
        ['run', ['run']],
        ['upload', ['upload', incoming]],
        ['dedup --yes', ['dedup', '--yes']],
        ['trash empty', ['trash', 'empty', '--yes']],
        ...(opts.remote ? [['remote push', ['remote', 'push']]] : []),
    ];
    const result = { seed: opts.seed, runs: {}, kills: 0, landed: {}, violations: [], dataLost: 0, peakRssMb: 0 };
    for (let i = 0; i < opts.kills; i++) {
        await newUploads(); // `upload` always has new files (and dedup, sometimes, a duplicate)
        if (rand() < 0.25)
            await trashAnUpload();
        const w = workIn(library);
        const ready = scenarios.map(([name, args]) => ({ name, args, plans: plansFor(name, w) })).filter((s) => s.plans.length > 0);
        const { name, args, plans } = pick(ready);
        const plan = pick(plans);
        result.runs[name] = (result.runs[name] ?? 0) + 1;
        const r = await runKilled(args, {
            library, env, plan, giveUpMs: 120_000, paceMs: () => 30 + rand() * 120,
            meanwhile: async (pid) => {
                result.peakRssMb = Math.max(result.peakRssMb, memoryMb(pid).peak);
                if (name === 'run')
                    await liveChange();
            },
        });
        if (r.landed) {
            result.kills++;
            const byKind = (result.landed[name] ??= {});
            byKind[killKind(plan)] = (byKind[killKind(plan)] ?? 0) + 1;
        }
        else {
            result.violations.push(`${name} (iteration ${i}): the kill at ${describePlan(plan)} did not land mid-operation (${r.gaveUp ? 'no progress in 120 s' : `exit ${r.code}, signal ${r.signal}`}): ${r.stderr.slice(-300)}`);
        }
        for (const v of await checkAfterCrash(library, env, false))
            result.violations.push(`after ${name} killed at ${describePlan(plan)} (iteration ${i}): ${v}`);
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
    const s2 = JSON.parse(second.stdout || '{}');
    if (first.code !== 0 || second.code !== 0 || (s2.stored ?? 1) + (s2.created ?? 1) + (s2.linked ?? 1) !== 0) {
        result.violations.push(`uploads after the loop: first exit ${first.code}, second exit ${second.code} ${second.stdout.slice(0, 200)}`);
        result.dataLost++;
    }
    result.violations.push(...(await checkAfterCrash(library, env)).map((v) => `at the end: ${v}`));
    return result;
}
//# sourceMappingURL=crash-loop.js.map