// Electron builds beside Node's (issue #19): the binding chosen per runtime, the natives folder
// that `npm start` and `npm run dist` fill with @electron/rebuild (faked here: no Electron runtime
// or headers can be downloaded on our machines), and node_modules never touched.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/support/fixtures.js';
import { SQLITE_BINDING_ENV, openDatabase, sqliteNativeBinding } from '../core/catalog/sqlite-binding.js';
import { ShoeboxError } from '../core/errors.js';
import { devNativeDir, electronArch, requestedArchs, ensureElectronNatives, manifestProblem, nativeTarget, resolveSqliteBinding } from './electron-natives.js';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NODE = { node: '20.20.2', modules: '115' };
const ELECTRON = { node: '24.0.0', modules: '145', electron: '41.7.1' };
describe('the better-sqlite3 binding per runtime', () => {
    it('under Node: the build in node_modules, whatever the environment says', () => {
        assert.equal(sqliteNativeBinding(NODE, {}), undefined);
        assert.equal(sqliteNativeBinding(NODE, { [SQLITE_BINDING_ENV]: '/x/better_sqlite3.node' }), undefined);
    });
    it('under Electron: the Electron build named by the desktop app', () => {
        assert.equal(sqliteNativeBinding(ELECTRON, { [SQLITE_BINDING_ENV]: '/x/better_sqlite3.node' }), '/x/better_sqlite3.node');
    });
    it('under Electron without an Electron build: refused with what to do, never Node\'s build', () => {
        assert.throws(() => sqliteNativeBinding(ELECTRON, {}), (e) => e instanceof ShoeboxError && e.code === 'NATIVE_BUILD_MISSING' && /Electron 41\.7\.1 \(ABI 145\).*npm start/.test(e.userMessage));
    });
    it('openDatabase under Node opens with Node\'s build', () => {
        const db = openDatabase(':memory:');
        assert.equal(db.prepare('SELECT sqlite_version() AS v').get().v.split('.')[0], '3');
        db.close();
    });
});
/** A fake project: node_modules/better-sqlite3 with sources and a Node build. */
function fakeProject() {
    const dir = tempDir();
    const pkg = path.join(dir, 'node_modules', 'better-sqlite3');
    fs.mkdirSync(path.join(pkg, 'build', 'Release'), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'src'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version: '12.11.1' }));
    fs.writeFileSync(path.join(pkg, 'binding.gyp'), '{}');
    fs.writeFileSync(path.join(pkg, 'src', 'better_sqlite3.cpp'), '// sources');
    const nodeBuild = path.join(pkg, 'build', 'Release', 'better_sqlite3.node');
    fs.writeFileSync(nodeBuild, 'ELF node_register_module_v115 _ZN2v8');
    return { dir, nodeBuild };
}
const target = (over = {}) => ({ electron: '41.7.1', abi: 145, platform: 'linux', arch: 'x64', addons: { 'better-sqlite3': '12.11.1' }, ...over });
/** What @electron/rebuild does to the staging copy: compiles the addon for the job's ABI. */
function fakeRebuild(abi, jobs) {
    return (job) => {
        jobs.push(job);
        assert.ok(!fs.existsSync(path.join(job.stagingDir, 'node_modules', 'better-sqlite3', 'build')), 'Node\'s build is not copied into the staging folder');
        assert.ok(fs.existsSync(path.join(job.stagingDir, 'node_modules', 'better-sqlite3', 'src', 'better_sqlite3.cpp')), 'the sources are');
        const out = path.join(job.stagingDir, 'node_modules', 'better-sqlite3', 'build', 'Release');
        fs.mkdirSync(out, { recursive: true });
        fs.writeFileSync(path.join(out, 'better_sqlite3.node'), `ELF node_register_module_v${abi} _ZN2v8`);
        return Promise.resolve();
    };
}
const digest = (f) => `${fs.statSync(f).mtimeMs}:${crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')}`;
describe('the Electron natives folder (npm start / npm run dist)', () => {
    it('builds into build/electron-native/<platform>-<arch> once, says so, and leaves node_modules untouched', async () => {
        const { dir: project, nodeBuild } = fakeProject();
        const before = digest(nodeBuild);
        const dir = devNativeDir(project, 'linux', 'x64');
        assert.equal(dir, path.join(project, 'build', 'electron-native', 'linux-x64'));
        const said = [];
        const jobs = [];
        const first = await ensureElectronNatives({ projectDir: project, dir, target: target(), rebuild: fakeRebuild(145, jobs), say: (l) => said.push(l) });
        assert.deepEqual(first, { built: true });
        assert.deepEqual(jobs.map((j) => [j.electron, j.arch, j.modules]), [['41.7.1', 'x64', ['better-sqlite3']]]);
        assert.match(said[0], /building better-sqlite3 12\.11\.1 for Electron 41\.7\.1 \(ABI 145, linux-x64\) into build\/electron-native\/linux-x64 with @electron\/rebuild \(there is no Electron build yet/);
        assert.equal(digest(nodeBuild), before, 'Node\'s build unchanged');
        assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['linux-x64'], 'no staging folder left');
        assert.deepEqual(resolveSqliteBinding(dir, { versions: ELECTRON, platform: 'linux', arch: 'x64' }), { file: path.join(dir, 'better_sqlite3.node') });
        const again = await ensureElectronNatives({ projectDir: project, dir, target: target(), rebuild: fakeRebuild(145, jobs), say: (l) => said.push(l) });
        assert.deepEqual(again, { built: false });
        assert.equal(jobs.length, 1, 'not rebuilt');
        assert.match(said.at(-1), /using the Electron build of better-sqlite3 12\.11\.1 for Electron 41\.7\.1/);
    });
    it('rebuilds when Electron or the addon is updated', async () => {
        const { dir: project } = fakeProject();
        const dir = devNativeDir(project, 'linux', 'x64');
        const jobs = [];
        await ensureElectronNatives({ projectDir: project, dir, target: target(), rebuild: fakeRebuild(145, jobs), say: () => undefined });
        const said = [];
        await ensureElectronNatives({ projectDir: project, dir, target: target({ electron: '42.0.0', abi: 146 }), rebuild: fakeRebuild(146, jobs), say: (l) => said.push(l) });
        assert.match(said[0], /the build there is for Electron 41\.7\.1 \(ABI 145\)/);
        assert.equal(manifestProblem({ electron: '42.0.0', abi: 146, platform: 'linux', arch: 'x64', addons: { 'better-sqlite3': { version: '12.11.1', file: 'x.node' } } }, target({ electron: '42.0.0', abi: 146, addons: { 'better-sqlite3': '12.12.0' } })), 'better-sqlite3 was updated from 12.11.1 to 12.12.0');
        assert.equal(manifestProblem({ damaged: true }, target()), 'the build there is for undefined-undefined');
        assert.equal(jobs.length, 2);
        const stale = resolveSqliteBinding(dir, { versions: ELECTRON, platform: 'linux', arch: 'x64' });
        assert.ok('problem' in stale && /is for Electron 42\.0\.0 \(ABI 146.*not this Electron 41\.7\.1 \(ABI 145\)\. `npm start` rebuilds it/.test(stale.problem));
    });
    it('a build for the wrong ABI, or a failed build, leaves no usable manifest and no staging folder', async () => {
        const { dir: project } = fakeProject();
        const dir = devNativeDir(project, 'linux', 'x64');
        await assert.rejects(ensureElectronNatives({ projectDir: project, dir, target: target(), rebuild: fakeRebuild(115, []), say: () => undefined }), /built is for ABI 115, not for Electron's ABI 145/);
        assert.ok('problem' in resolveSqliteBinding(dir, { versions: ELECTRON, platform: 'linux', arch: 'x64' }));
        await assert.rejects(ensureElectronNatives({ projectDir: project, dir, target: target(), rebuild: () => Promise.reject(new Error('could not fetch Electron headers')), say: () => undefined }), /Electron headers/);
        assert.deepEqual(fs.readdirSync(path.dirname(dir)).filter((n) => n.startsWith('.staging')), []);
    });
    it('the main process gets a problem, not a crash, where there is no build or it is for another arch', () => {
        const none = resolveSqliteBinding(path.join(tempDir(), 'native'), { versions: ELECTRON, platform: 'linux', arch: 'x64' });
        assert.ok('problem' in none && /no Electron build of better-sqlite3.*npm start/.test(none.problem));
        assert.equal(electronArch('arm'), 'armv7l');
        assert.deepEqual(requestedArchs(['--linux', '--dir'], 'x64'), ['x64'], 'this machine\'s arch by default');
        assert.deepEqual(requestedArchs(['--linux', '--arm64', '--x64'], 'x64'), ['arm64', 'x64']);
        assert.equal(electronArch('arm64'), 'arm64');
    });
    it('the target is read from the installed Electron package and node_modules', () => {
        const t = nativeTarget(ROOT, 'linux', 'x64');
        const electronPkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'));
        assert.equal(t.electron, electronPkg.version);
        assert.ok(t.abi > Number(process.versions.modules), `Electron ${t.electron}'s ABI ${t.abi} differs from Node's`);
        assert.match(t.addons['better-sqlite3'], /^\d+\.\d+\.\d+$/);
    });
});
//# sourceMappingURL=electron-natives.test.js.map