// `npm run dist`: installers with electron-builder (electron-builder.yml). It first makes the
// Electron builds of the V8-ABI addons in build/electron-native/ (electron-natives.ts), which
// the installer ships as resources/native; electron-builder never rebuilds node_modules
// (npmRebuild: false), so Node's builds stay and `npm test` works after a dist. Building needs
// the Electron runtime zip, headers and packaging tools from the network; where they can't be
// fetched, this says so plainly instead of ending in a network stack trace.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { devNativeDir, ensureElectronNatives, nativeTarget, requestedArchs } from './electron-natives.js';
import { snapshotNativeBuilds } from './native-addons.js';
import { runElectronRebuild } from './rebuild-natives.js';
import { PROJECT_DIR, findElectron } from './start.js';
const require = createRequire(import.meta.url);
const NO_NETWORK = 'Shoebox: electron-builder needs the Electron runtime (and its packaging tools and headers) from github.com and ' +
    'electronjs.org, which this machine cannot reach, so no installer was built and nothing was changed. Run `npm run dist` ' +
    'on a machine with internet access (the app itself is built and tested here; `npm start` runs it where Electron is installed).\n';
async function main() {
    const args = process.argv.slice(2);
    // Without the Electron runtime nothing can be packaged: stop before touching anything.
    const electron = findElectron();
    if (!('path' in electron)) {
        process.stderr.write(NO_NETWORK);
        return 1;
    }
    const archs = requestedArchs(args, process.arch);
    if (archs.includes('universal')) {
        process.stderr.write('Shoebox: a universal macOS build needs the Electron builds of better-sqlite3 for both archs merged; build --x64 and --arm64 installers instead.\n');
        return 2;
    }
    const before = snapshotNativeBuilds(PROJECT_DIR);
    try {
        for (const arch of archs) {
            await ensureElectronNatives({
                projectDir: PROJECT_DIR,
                dir: devNativeDir(PROJECT_DIR, process.platform, arch),
                target: nativeTarget(PROJECT_DIR, process.platform, arch),
                rebuild: (job) => runElectronRebuild(electron.path, job),
                say: (line) => process.stderr.write(`${line}\n`),
            });
        }
    }
    catch (err) {
        process.stderr.write(`Shoebox: could not build the native modules for Electron, so no installer was built: ${err.message}\n`);
        return 1;
    }
    const r = spawnSync(process.execPath, [require.resolve('electron-builder/cli.js'), ...args], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'pipe'] });
    process.stdout.write(r.stdout ?? '');
    const after = snapshotNativeBuilds(PROJECT_DIR);
    const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
    if (changed.length > 0) {
        process.stderr.write(`Shoebox: the packaging changed native builds in node_modules (${changed.join(', ')}); run \`npm rebuild\` before \`npm test\`, and report this.\n`);
        return 1;
    }
    if (r.status === 0) {
        process.stderr.write('Shoebox: installers are in dist/. node_modules was not touched: Node\'s native builds still serve `npm test` and the CLI.\n');
        return 0;
    }
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    process.stderr.write(/github\.com|electronjs\.org|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(out) ? NO_NETWORK : (r.stderr ?? ''));
    return r.status ?? 1;
}
main().then((code) => process.exit(code), (err) => {
    process.stderr.write(`Shoebox: ${err?.message ?? String(err)}\n`);
    process.exit(1);
});
//# sourceMappingURL=dist.js.map