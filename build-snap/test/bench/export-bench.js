import fs from 'node:fs';
import path from 'node:path';
import { CLI } from '../support/fixtures.js';
import { photoTree } from './fixtures.js';
import { timeCommand, warmCache } from './measure.js';
/** Issue #9 row: export of ≥1 GB of photos next to the copy floor (`cp -r` of the same bytes + sync), same disk, same run. */
export async function exportBench(work) {
    const src = path.join(work, 'photos');
    const tree = await photoTree(src, 1.05e9);
    const library = path.join(work, 'library-export');
    if (!fs.existsSync(path.join(library, 'catalog.sqlite')))
        timeCommand(`node "${CLI}" --library "${library}" upload "${src}" > /dev/null 2>&1`);
    const blobs = path.join(library, 'objects');
    warmCache(blobs);
    const fresh = (name) => {
        const p = path.join(work, name);
        fs.rmSync(p, { recursive: true, force: true });
        return p;
    };
    const copyDst = fresh('export-copy');
    const copy = timeCommand(`cp -r "${blobs}" "${copyDst}" && sync`);
    fs.rmSync(copyDst, { recursive: true, force: true });
    const dest = fresh('export-out');
    timeCommand('sync');
    const exp = timeCommand(`node "${CLI}" --library "${library}" export --all "${dest}" > /dev/null 2>&1`);
    const resume = timeCommand(`node "${CLI}" --library "${library}" export --all "${dest}" > /dev/null 2>&1`);
    fs.rmSync(dest, { recursive: true, force: true });
    const mb = tree.bytes / 1e6;
    const group = `export ${tree.files} photos, ${(mb / 1000).toFixed(2)} GB`;
    return [
        { group, tool: 'cp -r + sync (floor)', value: `${(mb / copy.seconds).toFixed(0)} MB/s`, note: `${copy.seconds.toFixed(2)} s` },
        { group, tool: 'shoebox export', value: `${(mb / exp.seconds).toFixed(0)} MB/s`, ratio: `${(copy.seconds / exp.seconds).toFixed(2)}× copy`, note: `${exp.seconds.toFixed(2)} s incl. verifying every file; peak RSS ${exp.peakRssMb.toFixed(0)} MB` },
        { group, tool: 'shoebox export (re-run, resume)', value: `${resume.seconds.toFixed(2)} s`, note: 'every file re-hashed and skipped' },
    ];
}
//# sourceMappingURL=export-bench.js.map