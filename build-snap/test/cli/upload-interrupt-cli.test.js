// Issue #15 item 9: the first Ctrl-C (SIGINT) or SIGTERM stops `upload` after the files in
// progress: the summary is printed (valid --json with "interrupted": true), the exit code is 130,
// finished files are kept and nothing is left behind in procs/, tmp/ or uploads/. A second one
// stops at once. Kills are placed by the upload's own progress (blobs placed in the library).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { CLI, parseLines, runCli, tempDir, jpeg, waitFor, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';
const FILES = 2500;
function blobCount(library) {
    const objects = path.join(library, 'objects');
    if (!fs.existsSync(objects))
        return 0;
    return fs.readdirSync(objects).reduce((n, shard) => n + fs.readdirSync(path.join(objects, shard)).length, 0);
}
/** Starts `upload --json` and sends `signals` once at least `after` blobs are in the library. */
async function interruptedUpload(library, src, signals, after = 20) {
    const child = spawn(process.execPath, [CLI, '--json', 'upload', src], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.stderr.on('data', (d) => (stderr += d.toString()));
    const exited = once(child, 'close');
    await waitFor(() => child.exitCode !== null || blobCount(library) >= after, 60_000, `${after} files backed up`, 5);
    assert.equal(child.exitCode, null, `the upload ended before it could be interrupted: ${stderr}`);
    for (const s of signals)
        child.kill(s);
    const [code, signal] = (await exited);
    return { code, signal, stdout, stderr };
}
describe('upload stops gracefully on the first Ctrl-C or SIGTERM', () => {
    const src = path.join(tempDir(), 'Camera');
    before(async () => {
        const files = {};
        for (let i = 0; i < FILES; i++)
            files[`Roll${i % 10}/IMG_${i}.jpg`] = await jpeg(`int-${i}`, 4000);
        writeTree(src, files);
    });
    for (const sig of ['SIGINT', 'SIGTERM']) {
        it(`${sig}: summary printed as valid --json with "interrupted": true, exit 130, finished files kept, nothing left behind`, { timeout: 180_000 }, async () => {
            const library = path.join(tempDir(), 'lib');
            const r = await interruptedUpload(library, src, [sig]);
            assert.equal(r.signal, null, `killed by ${r.signal}, not stopped: ${r.stderr}`);
            assert.equal(r.code, 130, r.stderr);
            assert.match(r.stderr, /stopping after the files in progress/);
            const summary = JSON.parse(r.stdout);
            assert.equal(summary.interrupted, true);
            assert.equal(summary.failed, 0);
            assert.ok(summary.stored > 0 && summary.stored < FILES, `stored ${summary.stored} of ${FILES}`);
            for (const d of ['procs', 'tmp', 'uploads'])
                assert.deepEqual(fs.readdirSync(path.join(library, d)), [], `${d}/ is empty`);
            const rows = parseLines((await runCli(['--json', 'ls'], { library })).stdout);
            assert.equal(rows.length, summary.stored, 'every file the summary counts is in the library');
            assert.deepEqual(verifyLibrary(library).problems, []);
            const rest = await runCli(['--json', 'upload', src], { library });
            assert.equal(rest.code, 0, rest.stderr);
            assert.equal(JSON.parse(rest.stdout).stored, FILES - summary.stored, 'the re-run backs up only the rest');
        });
    }
    it('the command line loads no module that hooks SIGINT/SIGTERM (when-exit, via conf, re-raises the signal)', async () => {
        const program = new URL('../../main/cli/program.js', import.meta.url).href;
        const engine = new URL('../../main/core/engine.js', import.meta.url).href;
        const child = spawn(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(program)}); await import(${JSON.stringify(engine)});
      console.log(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM'));`], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d.toString()));
        await once(child, 'close');
        assert.equal(out.trim(), '0');
    });
    it('a second Ctrl-C stops at once; what was finished is intact', { timeout: 180_000 }, async () => {
        const library = path.join(tempDir(), 'lib');
        const r = await interruptedUpload(library, src, ['SIGINT', 'SIGINT']);
        assert.equal(r.code, 130, r.stderr);
        const v = verifyLibrary(library);
        assert.deepEqual(v.problems, []);
    });
});
//# sourceMappingURL=upload-interrupt-cli.test.js.map