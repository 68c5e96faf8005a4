import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import { isLockHeld, tryLock } from './os-lock.js';
import { collectDeadProcesses, isRegistrationLive, otherLiveProcesses, registerProcess, unregisterProcess } from './process-registry.js';
/** A child process that runs `body` (with tryLock / registerProcess in scope), prints "ready" and waits. */
async function holder(body) {
    const lockUrl = new URL('./os-lock.js', import.meta.url).href;
    const regUrl = new URL('./process-registry.js', import.meta.url).href;
    const code = `import { tryLock } from ${JSON.stringify(lockUrl)}; import { registerProcess } from ${JSON.stringify(regUrl)};
    const out = (() => { ${body} })(); console.log(JSON.stringify(out ?? null)); console.log('ready'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    while (!out.includes('ready')) {
        if (child.exitCode !== null)
            throw new Error(`holder exited: ${out}`);
        await new Promise((r) => setTimeout(r, 10));
    }
    return Object.assign(child, { out: () => out });
}
async function kill9(child) {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
}
describe('OS locks that die with their process', () => {
    it('a lock held by a live process is held; once that process is killed (SIGKILL) it is free', async () => {
        const file = path.join(tempDir(), 'x.lock');
        const child = await holder(`globalThis.held = tryLock(${JSON.stringify(file)}); if (!globalThis.held) throw new Error('not taken');`);
        try {
            assert.equal(isLockHeld(file), true);
            assert.equal(tryLock(file, 0), null, 'a second holder is refused');
        }
        finally {
            await kill9(child);
        }
        assert.equal(isLockHeld(file), false);
        const mine = tryLock(file, 0);
        assert.ok(mine, 'the lock of a killed process can be taken');
        mine.release();
    });
    it('within one process a second connection sees the lock, and probing it does not drop it', async () => {
        const file = path.join(tempDir(), 'x.lock');
        const lock = tryLock(file);
        assert.ok(lock);
        assert.equal(tryLock(file, 0), null);
        assert.equal(isLockHeld(file), true);
        assert.equal(isLockHeld(file), true, 'still held after our own probe closed its connection');
        const child = await holder(`return tryLock(${JSON.stringify(file)}, 0) === null ? 'refused' : 'taken';`);
        assert.match(child.out(), /"refused"/, 'another process still sees it held');
        await kill9(child);
        lock.release({ unlink: true });
        assert.equal(fs.existsSync(file), false);
        assert.equal(isLockHeld(file), false);
    });
    it('a file that is not a lock database (an older registry entry) is not held', () => {
        const file = path.join(tempDir(), '12345');
        fs.writeFileSync(file, `${process.pid}\n`); // a live pid: it must not matter
        assert.equal(isLockHeld(file), false);
    });
});
describe('the process registry', () => {
    it('a killed process\'s registration and temp folder are collected even when its pid is alive again; live ones are kept', async () => {
        const root = tempDir();
        const procs = path.join(root, 'procs');
        const tmp = path.join(root, 'tmp');
        const live = await holder(`globalThis.reg = registerProcess(${JSON.stringify(procs)}, ${JSON.stringify(tmp)}); return globalThis.reg.token;`);
        const dead = await holder(`globalThis.reg = registerProcess(${JSON.stringify(procs)}, ${JSON.stringify(tmp)}); return globalThis.reg.token;`);
        const liveToken = JSON.parse(live.out().split('\n')[0]);
        const deadToken = JSON.parse(dead.out().split('\n')[0]);
        try {
            fs.writeFileSync(path.join(tmp, deadToken, 'x.part'), 'half a photo');
            await kill9(dead);
            // The dead process's pid now names a live process (this one): renamed as a reused pid would be.
            const reused = deadToken.replace(/^\d+/, String(process.pid));
            fs.renameSync(path.join(procs, `${deadToken}.lock`), path.join(procs, `${reused}.lock`));
            fs.renameSync(path.join(tmp, deadToken), path.join(tmp, reused));
            assert.deepEqual(otherLiveProcesses(procs), [live.pid]);
            const mine = registerProcess(procs, tmp);
            assert.deepEqual(collectDeadProcesses(procs, tmp), { deadProcesses: 1, tempEntries: 1 });
            assert.deepEqual(fs.readdirSync(procs).sort(), [`${liveToken}.lock`, `${mine.token}.lock`].sort());
            assert.deepEqual(fs.readdirSync(tmp).sort(), [liveToken, mine.token].sort());
            assert.equal(isRegistrationLive(procs, liveToken), true);
            assert.equal(isRegistrationLive(procs, reused), false);
            unregisterProcess(mine);
            assert.deepEqual(fs.readdirSync(procs), [`${liveToken}.lock`]);
        }
        finally {
            await kill9(live);
        }
        assert.deepEqual(collectDeadProcesses(procs, tmp), { deadProcesses: 1, tempEntries: 1 });
        assert.deepEqual(fs.readdirSync(procs), []);
    });
});
//# sourceMappingURL=os-lock.test.js.map