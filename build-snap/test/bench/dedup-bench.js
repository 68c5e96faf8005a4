import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../main/core/engine.js';
import { CLI, jpeg, writeTree } from '../support/fixtures.js';
import { syntheticLibrary } from '../support/synthetic-library.js';
import { have, timeCommand } from './measure.js';
/**
 * Issue #5 row: duplicate scan on a 1,000,000-file catalog with 50,000 groups (target < 1 s,
 * using the partial index files_live_hash), and on a real 5k-file tree next to `jdupes -r`
 * (time and agreement: the same groups of paths).
 */
export async function dedupBench(work) {
    const rows = [];
    const big = path.join(work, 'library-1m');
    const marker = path.join(work, '.library-1m-complete');
    if (!fs.existsSync(marker)) {
        await syntheticLibrary(big, { files: 1_000_000, groups: 50_000, albums: 20 });
        fs.writeFileSync(marker, '');
    }
    const engine = Engine.open({ libraryDir: big });
    try {
        let t = performance.now();
        const count = engine.dedup.countGroups();
        const countMs = performance.now() - t;
        t = performance.now();
        const groups = engine.dedup.listGroups();
        const listMs = performance.now() - t;
        t = performance.now();
        const page = engine.dedup.listGroups({ offset: 25_000, limit: 100 });
        const pageMs = performance.now() - t;
        if (count !== 50_000 || groups.length !== 50_000 || page.length !== 100)
            throw new Error(`synthetic catalog: expected 50000 groups, found ${count}/${groups.length}`);
        const group = 'duplicate scan, 1,000,000 files / 50,000 groups';
        rows.push({ group, tool: 'shoebox: count groups', value: `${countMs.toFixed(0)} ms`, ratio: 'target < 1000 ms' });
        rows.push({ group, tool: 'shoebox: list all groups', value: `${listMs.toFixed(0)} ms`, ratio: 'target < 1000 ms', note: 'copies with albums and source paths' });
        rows.push({ group, tool: 'shoebox: one page of 100', value: `${pageMs.toFixed(0)} ms`, note: 'what the review screen asks for' });
    }
    finally {
        await engine.close();
    }
    // A real tree: 4,000 distinct photos, 500 of them copied once more under another name.
    const tree = path.join(work, 'tree-5k');
    const lib = path.join(work, 'library-5k');
    if (!fs.existsSync(path.join(tree, '.complete'))) {
        fs.rmSync(tree, { recursive: true, force: true });
        const files = {};
        for (let i = 0; i < 4500; i++) {
            const bytes = await jpeg(`dedup-bench-${i}`, 20_000 + (i % 13) * 1000);
            files[`Album ${i % 10}/IMG_${i}.jpg`] = bytes;
            if (i < 500)
                files[`Album ${(i + 3) % 10}/IMG_${i} (1).jpg`] = bytes;
        }
        writeTree(tree, files);
        fs.writeFileSync(path.join(tree, '.complete'), '');
    }
    fs.rmSync(lib, { recursive: true, force: true });
    timeCommand(`node "${CLI}" --library "${lib}" upload "${tree}" > /dev/null 2>&1`);
    const sb = timeCommand(`node "${CLI}" --library "${lib}" --json dedup --dry-run > "${work}/sb-groups.json"`);
    const sbGroups = JSON.parse(fs.readFileSync(`${work}/sb-groups.json`, 'utf8')).groups;
    const db = new Database(path.join(lib, 'catalog.sqlite'), { readonly: true });
    const pathsOf = db.prepare('SELECT path FROM source_records WHERE file_id = ?');
    const sbSets = new Set(sbGroups.map((g) => g.copies.flatMap((c) => pathsOf.all(c.fileId).map((r) => r.path)).sort().join('\n')));
    db.close();
    const group = 'duplicate scan, real tree of 5,000 photos (500 duplicated)';
    rows.push({ group, tool: 'shoebox dedup --dry-run', value: `${(sb.seconds * 1000).toFixed(0)} ms`, note: `${sbGroups.length} groups (whole command, catalog only: no file is read)` });
    if (have('jdupes')) {
        const jd = timeCommand(`jdupes -r -q "${tree}" > "${work}/jdupes.txt"`);
        const jdSets = new Set(fs.readFileSync(`${work}/jdupes.txt`, 'utf8').trim().split(/\n\n+/).filter(Boolean).map((b) => b.split('\n').filter(Boolean).sort().join('\n')));
        const agree = [...jdSets].filter((s) => sbSets.has(s)).length;
        rows.push({ group, tool: 'jdupes -r', value: `${(jd.seconds * 1000).toFixed(0)} ms`, ratio: `${(jd.seconds / sb.seconds).toFixed(1)}× shoebox's time`, note: `${jdSets.size} groups; ${agree} identical to Shoebox's (${agree === jdSets.size && agree === sbSets.size ? 'full agreement' : 'DISAGREEMENT'})` });
    }
    else {
        rows.push({ group, tool: 'jdupes -r', value: 'n/a', note: 'jdupes not installed (.ci/setup bench installs it)' });
    }
    return rows;
}
//# sourceMappingURL=dedup-bench.js.map