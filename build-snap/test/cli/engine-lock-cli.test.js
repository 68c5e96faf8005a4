// Issue #15 item 6: whether a process still holds the library (the engine lock, the process
// registry, upload markers) is an OS lock that dies with its process, not a pid that may be
// alive again: after a crash in a PID namespace (Docker, the engine as PID 1) the next process
// gets the same pid. Real processes, killed with SIGKILL.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, jpeg, runCli, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
async function status(library) {
    const r = await runCli(['--json', 'status'], { library });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
}
/** Waits until the engine in `library` has caught up with its watches. */
async function engineWatching(library, what) {
    const s = await waitFor(async () => {
        const st = await status(library);
        return st.sync?.watches[0]?.state === 'watching' ? st : undefined;
    }, 30_000, what);
    return s;
}
/**
 * Makes every pid the library recorded for `deadPid` name `livePid` instead: entry names in the
 * library folder, procs/, tmp/ and uploads/, and small files holding just that pid. This is what
 * a library looks like when the dead process's pid has been given to another live process.
 */
function recordPidAs(library, deadPid, livePid) {
    let changed = 0;
    const pidName = new RegExp(`^${deadPid}(?=\\D|$)`);
    for (const dir of [library, ...['procs', 'tmp', 'uploads'].map((d) => path.join(library, d))]) {
        for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
            const p = path.join(dir, name);
            const st = fs.statSync(p);
            if (st.isFile() && st.size < 32 && fs.readFileSync(p, 'utf8').trim() === String(deadPid)) {
                fs.writeFileSync(p, `${livePid}\n`);
                changed++;
            }
            if (pidName.test(name)) {
                fs.renameSync(p, path.join(dir, name.replace(pidName, String(livePid))));
                changed++;
            }
        }
    }
    return changed;
}
describe('a killed process whose pid is reused does not hold the library', () => {
    it('after `run` and `upload` are killed, a new run takes over even though their recorded pids are alive again', { timeout: 120_000 }, async () => {
        const library = path.join(tempDir(), 'lib');
        const root = path.join(tempDir(), 'Camera');
        writeTree(root, { 'a.jpg': await jpeg('lock-a') });
        assert.equal((await runCli(['watch', 'add', root], { library })).code, 0);
        const run = spawnCli(['run'], { library });
        const runExit = once(run, 'exit');
        await engineWatching(library, 'the first run to start');
        run.kill('SIGKILL');
        await runExit;
        // An upload killed while it holds its "manual upload running" marker (which pauses watches).
        const big = path.join(tempDir(), 'Big');
        const files = {};
        for (let i = 0; i < 400; i++)
            files[`r${i % 8}/IMG_${i}.jpg`] = await jpeg(`lock-up-${i}`, 20_000);
        writeTree(big, files);
        const upload = spawnCli(['upload', big], { library });
        const uploadExit = once(upload, 'exit');
        await waitFor(() => fs.existsSync(path.join(library, 'uploads')) && fs.readdirSync(path.join(library, 'uploads')).length > 0 && upload.exitCode === null, 30_000, 'the upload to mark itself', 2);
        upload.kill('SIGKILL');
        await uploadExit;
        const changed = recordPidAs(library, run.pid, process.pid) + recordPidAs(library, upload.pid, process.pid);
        assert.ok(changed >= 3, `expected the killed processes' pids recorded in the library, rewrote ${changed}`);
        const next = spawnCli(['run'], { library });
        const nextExit = once(next, 'exit');
        try {
            const s = await waitFor(async () => {
                if (next.exitCode !== null)
                    throw new Error(`the new run exited with ${next.exitCode}: the dead run's lock was taken for a live one`);
                const st = await status(library);
                return st.sync?.pid === next.pid && st.sync?.watches[0]?.state === 'watching' ? st : undefined;
            }, 30_000, 'the new run to take over');
            assert.notEqual(s.sync.pausedReason, 'upload', 'the killed upload no longer pauses watches');
        }
        finally {
            next.kill('SIGINT');
        }
        assert.deepEqual(await nextExit, [0, null]);
        for (const d of ['procs', 'tmp', 'uploads'])
            assert.deepEqual(fs.readdirSync(path.join(library, d)), [], `${d}/ is empty after a clean stop`);
    });
    const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', 'true']).status === 0;
    it('a run killed as PID 1 of a PID namespace is taken over by the next PID 1', { timeout: 120_000, skip: canUnshare ? false : 'needs root and unshare(1) for PID namespaces' }, async () => {
        const library = path.join(tempDir(), 'lib');
        const root = path.join(tempDir(), 'Camera');
        writeTree(root, { 'a.jpg': await jpeg('ns-a') });
        assert.equal((await runCli(['watch', 'add', root], { library })).code, 0);
        // --kill-child: SIGKILL of unshare SIGKILLs the engine (PID 1 inside) too.
        const runAsPid1 = () => spawn('unshare', ['--pid', '--fork', '--kill-child', process.execPath, CLI, 'run'], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', 'ignore', 'pipe'] });
        const first = runAsPid1();
        const firstExit = once(first, 'exit');
        assert.equal((await engineWatching(library, 'the first PID 1 run')).sync.pid, 1);
        first.kill('SIGKILL');
        await firstExit;
        const second = runAsPid1();
        let err = '';
        second.stderr.on('data', (d) => (err += d.toString()));
        const secondExit = once(second, 'exit');
        try {
            // Only a live engine backs up a new file (a stale status file could claim "watching").
            fs.writeFileSync(path.join(root, 'b.jpg'), await jpeg('ns-b'));
            await waitFor(async () => {
                if (second.exitCode !== null)
                    throw new Error(`the second PID 1 run exited with ${second.exitCode}: ${err}`);
                return (await runCli(['--json', 'ls'], { library })).stdout.includes('"b.jpg"');
            }, 30_000, 'the second PID 1 run to back up a new file');
            // Two live engines still exclude each other, across namespaces too.
            const third = await runCli(['run'], { library });
            assert.equal(third.code, 4, third.stderr);
            assert.match(third.stderr, /Another Shoebox engine \(process 1\) is already running/);
        }
        finally {
            second.kill('SIGKILL');
            await secondExit;
        }
    });
});
//# sourceMappingURL=engine-lock-cli.test.js.map