// Issue #15 item 7: a library folder renamed or moved while `run` or `upload` has it open.
// Syncing stops with a message that says what happened (and where the folder is now), nothing
// is written to the old path (the old folder is not re-created), files are not blamed for it,
// and the moved library's status does not claim a live engine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, jpeg, runCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
function start(args, library) {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.stderr.on('data', (d) => (stderr += d.toString()));
    const closed = once(child, 'close');
    return { child, closed, out: () => stdout, err: () => stderr };
}
function blobCount(library) {
    const objects = path.join(library, 'objects');
    if (!fs.existsSync(objects))
        return 0;
    return fs.readdirSync(objects).reduce((n, shard) => n + fs.readdirSync(path.join(objects, shard)).length, 0);
}
async function movedStatus(library) {
    const r = await runCli(['--json', 'status'], { library });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
}
describe('a library moved while it is open', () => {
    it('run: stops syncing, says where the library went, exits 5; the old path is not re-created; the moved library shows no live engine', { timeout: 120_000 }, async () => {
        const base = tempDir();
        const library = path.join(base, 'lib');
        const moved = path.join(base, 'lib-moved');
        const root = path.join(tempDir(), 'Camera');
        writeTree(root, { 'a.jpg': await jpeg('mv-a') });
        assert.equal((await runCli(['watch', 'add', root], { library })).code, 0);
        const run = start(['run'], library);
        try {
            await waitFor(async () => {
                const s = JSON.parse((await runCli(['--json', 'status'], { library })).stdout);
                return s.sync?.watches[0]?.state === 'watching';
            }, 30_000, 'the engine to start');
            fs.renameSync(library, moved);
            writeTree(root, { 'b.jpg': await jpeg('mv-b'), 'c.jpg': await jpeg('mv-c') }); // work for an engine that does not notice
            const giveUp = setTimeout(() => run.child.kill('SIGKILL'), 30_000); // an engine that never notices
            const [code, signal] = await run.closed;
            clearTimeout(giveUp);
            assert.equal(signal, null, `run did not stop by itself: ${run.err()}`);
            assert.equal(code, 5, run.err());
        }
        finally {
            run.child.kill('SIGKILL');
        }
        assert.match(run.err(), new RegExp(`library folder ${library} was moved or renamed while Shoebox had it open.*it is now ${moved}`));
        assert.match(run.err(), new RegExp(`--library "${moved}"`));
        assert.doesNotMatch(run.err(), /\n\s+at /, 'no stack trace');
        assert.equal(fs.existsSync(library), false, 'the old library folder was not re-created');
        const s = await movedStatus(moved);
        assert.equal(s.sync, null, 'no engine runs on the moved library');
        assert.ok(s.recentErrors.some((e) => e.code === 'LIBRARY_MOVED'), 'the moved library\'s activity says why syncing stopped');
        assert.deepEqual(s.recentErrors.filter((e) => e.code === 'SOURCE_UNREADABLE'), [], 'no file is blamed');
        const human = await runCli(['status'], { library: moved });
        assert.match(human.stdout, /Engine\s+not running/);
        const check = await runCli(['check'], { library: moved });
        assert.equal(check.code, 0, check.stdout + check.stderr);
    });
    it('upload: stops at the next file with exit 5 and the same message; files are not blamed; the old path is not re-created', { timeout: 120_000 }, async () => {
        const base = tempDir();
        const library = path.join(base, 'lib');
        const moved = path.join(base, 'lib-moved');
        const src = path.join(tempDir(), 'Big');
        const files = {};
        for (let i = 0; i < 1500; i++)
            files[`r${i % 6}/IMG_${i}.jpg`] = await jpeg(`mv-up-${i}`, 4000);
        writeTree(src, files);
        const up = start(['--json', 'upload', src], library);
        await waitFor(() => up.child.exitCode !== null || blobCount(library) >= 20, 60_000, 'the upload to be under way', 5);
        assert.equal(up.child.exitCode, null, `the upload ended before the library was moved: ${up.err()}`);
        fs.renameSync(library, moved);
        const [code] = await up.closed;
        assert.equal(code, 5, up.err());
        assert.match(up.err(), /was moved or renamed while Shoebox had it open/);
        assert.equal(JSON.parse(up.out()).error.code, 'LIBRARY_MOVED');
        assert.equal(fs.existsSync(library), false, 'the old library folder was not re-created');
        const s = await movedStatus(moved);
        assert.deepEqual(s.recentErrors.filter((e) => e.code === 'SOURCE_UNREADABLE' || e.code === 'IO_ERROR'), [], 'no file is blamed');
        const check = await runCli(['check'], { library: moved });
        assert.equal(check.code, 0, check.stdout + check.stderr);
    });
});
//# sourceMappingURL=library-moved-cli.test.js.map