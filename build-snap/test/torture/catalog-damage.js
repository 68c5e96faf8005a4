import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { jpeg, parseLines, runCli, seededRandom, tempDir, writeTree } from '../support/fixtures.js';
import { checkpoint } from '../support/catalog-damage.js';
import { writeSnapshot } from '../../main/core/catalog/catalog-snapshots.js';
const STACK = /\n\s+at .+:\d+:\d+/;
/**
 * Catalog damage (issue #15, item 4): a seeded run of damaged catalogs (random bytes over a
 * random page, a cut at a random length, an empty file, a deleted file, with and without a
 * snapshot). For each, every command must refuse clearly or work (exit 0/5, never a stack
 * trace), and `check --recover` must end with a library that passes `check --read-data`, where
 * every stored blob is a file, with nothing in objects/ deleted and the damaged catalog kept.
 */
export async function catalogDamage(opts) {
    const result = { cases: [], violations: [], lost: 0 };
    const rnd = seededRandom(opts.seed);
    const template = path.join(tempDir(), 'template');
    const a = path.join(tempDir(), 'Album A');
    const b = path.join(tempDir(), 'Album B');
    const photos = {};
    for (let i = 0; i < 40; i++)
        photos[`A_${i}.jpg`] = await jpeg(`damage-a-${i}`);
    writeTree(a, photos);
    writeTree(b, Object.fromEntries(await Promise.all(Array.from({ length: 10 }, async (_, i) => [`B_${i}.jpg`, await jpeg(`damage-b-${i}`)]))));
    await runCli(['upload', a], { library: template });
    const snapshot = path.join(tempDir(), 'snapshot.sqlite');
    writeSnapshot(path.join(template, 'catalog.sqlite'), path.dirname(snapshot), 'daily', Date.now());
    await runCli(['upload', b], { library: template });
    const two = parseLines((await runCli(['--json', 'ls', 'Album A'], { library: template })).stdout).slice(0, 2);
    await runCli(['rm', ...two.map((r) => String(r.fileId))], { library: template });
    checkpoint(path.join(template, 'catalog.sqlite'));
    const snapshotFile = fs.readdirSync(path.dirname(snapshot)).find((n) => n.endsWith('-daily.sqlite'));
    for (let n = 0; n < opts.cases; n++) {
        const library = path.join(tempDir(), `case-${n}`);
        fs.cpSync(template, library, { recursive: true });
        const withSnapshot = rnd() < 0.6;
        if (withSnapshot)
            fs.cpSync(path.join(path.dirname(snapshot), snapshotFile), path.join(library, 'snapshots', snapshotFile));
        const catalog = path.join(library, 'catalog.sqlite');
        const size = fs.statSync(catalog).size;
        const kind = rnd();
        let what;
        if (kind < 0.6) {
            const page = 1 + Math.floor(rnd() * (size / 4096));
            const fd = fs.openSync(catalog, 'r+');
            fs.writeSync(fd, Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rnd() * 256))), 0, 4096, (page - 1) * 4096);
            fs.closeSync(fd);
            what = `random bytes over page ${page}`;
        }
        else if (kind < 0.85) {
            const at = Math.floor(rnd() * size);
            fs.truncateSync(catalog, at);
            what = `cut at ${at} of ${size} bytes`;
        }
        else if (kind < 0.95) {
            fs.truncateSync(catalog, 0);
            what = 'empty';
        }
        else {
            fs.rmSync(catalog);
            what = 'deleted';
        }
        const name = `#${n} ${what}${withSnapshot ? ', with a snapshot' : ', no snapshot'}`;
        result.cases.push(name);
        for (const args of [['status'], ['ls'], ['check']]) {
            const r = await runCli(args, { library });
            if (r.code !== 0 && r.code !== 5)
                result.violations.push(`${name}: ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(0, 200)}`);
            if (STACK.test(r.stderr))
                result.violations.push(`${name}: ${args.join(' ')} printed a stack trace`);
        }
        const blobs = listBlobs(library);
        const r = await runCli(['check', '--recover'], { library });
        if (r.code !== 0 || STACK.test(r.stderr)) {
            result.violations.push(`${name}: check --recover exited ${r.code}: ${(r.stderr || r.stdout).slice(0, 300)}`);
            continue;
        }
        if (listBlobs(library).join() !== blobs.join())
            result.violations.push(`${name}: objects/ changed during recovery`);
        if (what !== 'deleted' && !/Nothing to recover/.test(r.stdout) && !fs.readdirSync(path.join(library, 'damaged')).some((f) => f.endsWith('.sqlite'))) {
            result.violations.push(`${name}: the damaged catalog was not kept`);
        }
        const check = await runCli(['check', '--read-data'], { library });
        if (check.code !== 0)
            result.violations.push(`${name}: after recovery check exited ${check.code}: ${check.stdout.slice(0, 300)}`);
        const db = new Database(catalog, { readonly: true });
        const known = new Set(db.prepare('SELECT blob_hash AS h FROM files UNION SELECT blob_hash FROM live_parts').all().map((x) => x.h));
        db.close();
        const lost = blobs.filter((h) => !known.has(h));
        result.lost += lost.length;
        if (lost.length)
            result.violations.push(`${name}: ${lost.length} stored photo(s) are no file after recovery`);
    }
    return result;
}
function listBlobs(library) {
    const root = path.join(library, 'objects');
    return fs.readdirSync(root).flatMap((s) => fs.readdirSync(path.join(root, s))).sort();
}
//# sourceMappingURL=catalog-damage.js.map