import fs from 'node:fs';
import path from 'node:path';
import { CLI } from '../support/fixtures.js';
import { photoTree } from './fixtures.js';
import { have, timeCommand, warmCache } from './measure.js';
const MB = 1e6;
/**
 * Issue #3 row: initial backup of ≥1 GB of real-sized photos. Shoebox next to the copy floor
 * (`cp -r` + `sync`), `b2sum` over the same files (2 parallel), and `restic backup` into a fresh
 * repository, all on the same disk with a warm cache.
 */
export async function backupBench(work) {
    const src = path.join(work, 'photos');
    const tree = await photoTree(src, 1.05e9);
    const gb = tree.bytes / MB;
    warmCache(src);
    const fresh = (name) => {
        const p = path.join(work, name);
        fs.rmSync(p, { recursive: true, force: true });
        return p;
    };
    const rows = [];
    const rate = (s) => `${(gb / s).toFixed(0)} MB/s`;
    const copyDst = fresh('copy');
    const copy = timeCommand(`cp -r "${src}" "${copyDst}" && sync`);
    fs.rmSync(copyDst, { recursive: true, force: true });
    const b2 = timeCommand(`find "${src}" -type f -print0 | xargs -0 -P2 -n 8 b2sum > /dev/null`);
    let restic;
    if (have('restic')) {
        const repo = fresh('restic-repo');
        const env = { RESTIC_PASSWORD: 'bench', RESTIC_CACHE_DIR: path.join(work, 'restic-cache') };
        timeCommand(`restic init -q -r "${repo}"`, { env });
        restic = timeCommand(`restic backup -q -r "${repo}" "${src}" && sync`, { env });
        fs.rmSync(repo, { recursive: true, force: true });
    }
    const library = fresh('library');
    sync();
    const shoebox = timeCommand(`node "${CLI}" --library "${library}" upload "${src}" > /dev/null 2>&1`);
    fs.rmSync(library, { recursive: true, force: true });
    const label = `initial backup ${tree.files} photos, ${(gb / 1000).toFixed(2)} GB`;
    rows.push({ group: label, tool: 'cp -r + sync (floor)', value: rate(copy.seconds), note: `${copy.seconds.toFixed(2)} s` });
    rows.push({ group: label, tool: 'b2sum -P2', value: rate(b2.seconds), note: `${b2.seconds.toFixed(2)} s` });
    if (restic)
        rows.push({ group: label, tool: 'restic backup', value: rate(restic.seconds), note: `${restic.seconds.toFixed(2)} s, peak RSS ${restic.peakRssMb.toFixed(0)} MB` });
    else
        rows.push({ group: label, tool: 'restic backup', value: 'n/a', note: 'restic not installed (.ci/setup bench installs it)' });
    rows.push({
        group: label,
        tool: 'shoebox upload',
        value: rate(shoebox.seconds),
        ratio: `${(copy.seconds / shoebox.seconds).toFixed(2)}× copy (target ≥ 0.8)${restic ? `, ${(restic.seconds / shoebox.seconds).toFixed(2)}× restic (target ≥ 2)` : ''}`,
        note: `${shoebox.seconds.toFixed(2)} s, peak RSS ${shoebox.peakRssMb.toFixed(0)} MB`,
    });
    return rows;
}
function sync() {
    timeCommand('sync');
}
//# sourceMappingURL=backup-bench.js.map