// `npm start` where no Electron binary is installed (issue #7): one clear paragraph, then the
// same Shoebox in a browser (`shoebox serve`) instead of a stack trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import fs from 'node:fs';
import { classifyAddonFile, snapshotNativeBuilds } from '../../main/electron/native-addons.js';
import { PROJECT_DIR, findElectron } from '../../main/electron/start.js';
import { tempDir } from '../support/fixtures.js';
const START = fileURLToPath(new URL('../../main/electron/start.js', import.meta.url));
const electron = findElectron();
describe('npm start', () => {
    it('without Electron: says what is missing and how to get it, then serves the window', { skip: 'path' in electron && 'an Electron binary is installed here; the smoke test covers npm start' }, async () => {
        const child = spawn(process.execPath, [START, '--port', '0'], { env: { ...process.env, SHOEBOX_LIBRARY: path.join(tempDir(), 'lib'), SHOEBOX_CONFIG_DIR: tempDir() }, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d.toString()));
        child.stderr.on('data', (d) => (out += d.toString()));
        const deadline = Date.now() + 20_000;
        while (!/token=[0-9a-f]{64}/.test(out) && Date.now() < deadline && child.exitCode === null)
            await new Promise((r) => setTimeout(r, 50));
        child.kill('SIGINT');
        await once(child, 'exit');
        assert.match(out, /the desktop app needs the Electron runtime, which is not installed here/);
        assert.match(out, /node node_modules\/electron\/install\.js/);
        assert.match(out, /Open this link in a browser on this machine:\n\n {2}http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/);
        assert.doesNotMatch(out, /at .*\.js:\d+:\d+/, 'no stack trace');
    });
});
describe('npm run dist', () => {
    it('without the Electron runtime: a clear message, exit 1, node_modules untouched', { skip: 'path' in electron && 'an Electron binary is installed here' }, async () => {
        const DIST = fileURLToPath(new URL('../../main/electron/dist.js', import.meta.url));
        const nativesDir = path.join(PROJECT_DIR, 'build', 'electron-native');
        const hadNatives = fs.existsSync(nativesDir);
        const before = snapshotNativeBuilds(PROJECT_DIR);
        assert.ok([...before.keys()].some((f) => f.endsWith('better_sqlite3.node')), 'the snapshot sees Node\'s better-sqlite3 build');
        const child = spawn(process.execPath, [DIST, '--linux', '--dir'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stderr.on('data', (d) => (out += d.toString()));
        const [code] = (await once(child, 'exit'));
        assert.equal(code, 1);
        assert.match(out, /needs the Electron runtime .* no installer was built and nothing was changed/);
        assert.deepEqual(snapshotNativeBuilds(PROJECT_DIR), before, 'every .node file in node_modules has the same size, mtime and bytes');
        assert.equal(fs.existsSync(nativesDir), hadNatives, 'no Electron build was attempted');
        const { default: Database } = await import('better-sqlite3');
        assert.equal(new Database(':memory:').prepare('SELECT 1 AS x').get().x, 1, 'better-sqlite3 still works under Node');
    });
});
describe('npm run dist with the Electron runtime', () => {
    it('packages the Electron build of better-sqlite3 and leaves node_modules as it was (npm test stays green)', { skip: !('path' in electron) && 'no Electron runtime here: it cannot be downloaded on our machines (only the npm registry and Debian are reachable)' }, async () => {
        const DIST = fileURLToPath(new URL('../../main/electron/dist.js', import.meta.url));
        const out = tempDir();
        const before = snapshotNativeBuilds(PROJECT_DIR);
        // --dir with the installed runtime (electronDist): no installer tools or Electron zip to fetch.
        const child = spawn(process.execPath, [DIST, '--linux', '--dir', `-c.directories.output=${out}`, `-c.electronDist=${path.join(PROJECT_DIR, 'node_modules', 'electron', 'dist')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        let log = '';
        child.stdout.on('data', (d) => (log += d.toString()));
        child.stderr.on('data', (d) => (log += d.toString()));
        const [code] = (await once(child, 'exit'));
        assert.equal(code, 0, log);
        assert.match(log, /node_modules was not touched/);
        assert.deepEqual(snapshotNativeBuilds(PROJECT_DIR), before, 'Node\'s native builds are unchanged');
        const packaged = path.join(out, 'linux-unpacked', 'resources', 'native');
        const manifest = JSON.parse(fs.readFileSync(path.join(packaged, 'manifest.json'), 'utf8'));
        assert.deepEqual(classifyAddonFile(path.join(packaged, 'better_sqlite3.node')), { kind: 'v8', abi: manifest.abi });
        assert.notEqual(manifest.abi, Number(process.versions.modules));
        const { default: Database } = await import('better-sqlite3');
        assert.equal(new Database(':memory:').prepare('SELECT 1 AS x').get().x, 1, 'better-sqlite3 still loads under Node');
    });
});
//# sourceMappingURL=npm-start.test.js.map