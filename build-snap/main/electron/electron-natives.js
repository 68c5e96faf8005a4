// The Electron builds of the V8-ABI addons, side by side with Node's (see [Note: Native addons
// and Electron] in native-addons.ts). Node's builds stay in node_modules, where `npm ci` put them
// and the tests and the CLI load them; Electron's live in build/electron-native/<platform>-<arch>/
// (in a packaged app: resources/native/), with a manifest saying what they were built for.
// Plain Node: `npm start`, `npm run dist`, the main process and the tests share it.
import fs from 'node:fs';
import path from 'node:path';
import { ELECTRON_BUILT_ADDONS, classifyAddonFile } from './native-addons.js';
/** The manifest's file name in a natives folder. */
export const MANIFEST = 'manifest.json';
/** electron-builder's name for a Node arch (`arm` is `armv7l` there; the rest are the same). */
export function electronArch(nodeArch) {
    return nodeArch === 'arm' ? 'armv7l' : nodeArch;
}
const ARCH_FLAGS = ['x64', 'arm64', 'ia32', 'armv7l', 'universal'];
/** The archs electron-builder is asked for on its command line (`--arm64` …), else this machine's. */
export function requestedArchs(argv, hostArch) {
    const asked = argv.map((a) => a.replace(/^--/, '')).filter((a) => ARCH_FLAGS.includes(a));
    return asked.length > 0 ? [...new Set(asked)] : [electronArch(hostArch)];
}
/** The natives folder of a source checkout (`npm start`, `npm run dist`): build/electron-native/<platform>-<arch>. */
export function devNativeDir(projectDir, platform, arch) {
    return path.join(projectDir, 'build', 'electron-native', `${platform}-${electronArch(arch)}`);
}
/** Why a manifest does not fit the target (null when it does). Pure. */
export function manifestProblem(manifest, want) {
    if (manifest === null || typeof manifest !== 'object')
        return 'there is no Electron build yet';
    const m = manifest;
    if (m.platform !== want.platform || m.arch !== want.arch)
        return `the build there is for ${String(m.platform)}-${String(m.arch)}`;
    if (m.electron !== want.electron || m.abi !== want.abi)
        return `the build there is for Electron ${String(m.electron)} (ABI ${String(m.abi)})`;
    for (const [name, version] of Object.entries(want.addons)) {
        const have = m.addons?.[name];
        if (!have || typeof have.file !== 'string')
            return `${name} has no Electron build there`;
        if (have.version !== version)
            return `${name} was updated from ${have.version} to ${version}`;
    }
    return null;
}
function readManifest(dir) {
    try {
        return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8'));
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return null;
        if (err instanceof SyntaxError)
            return { damaged: true }; // rebuilt, never trusted
        throw err;
    }
}
/**
 * The better-sqlite3 build the Electron main process should load from `dir`, or what is wrong.
 * Checks the manifest against the running Electron (`versions`) and the binary itself (its
 * registration must name this ABI), so a stale build gives a message, not a crash.
 */
export function resolveSqliteBinding(dir, runtime) {
    const m = readManifest(dir);
    const abi = Number(runtime.versions.modules);
    const entry = m?.addons?.['better-sqlite3'];
    if (!m || !entry)
        return { problem: `There is no Electron build of better-sqlite3 in ${dir}. Start Shoebox with \`npm start\` (which builds it once) or reinstall it.` };
    if (m.abi !== abi || m.platform !== runtime.platform || m.arch !== electronArch(runtime.arch)) {
        return { problem: `The better-sqlite3 build in ${dir} is for Electron ${String(m.electron)} (ABI ${String(m.abi)}, ${String(m.platform)}-${String(m.arch)}), not this Electron ${String(runtime.versions.electron)} (ABI ${abi}). \`npm start\` rebuilds it.` };
    }
    const file = path.join(dir, entry.file);
    if (!fs.existsSync(file))
        return { problem: `${file} is missing. \`npm start\` builds it again.` };
    const kind = classifyAddonFile(file);
    if (kind.kind !== 'v8' || (kind.abi !== null && kind.abi !== abi))
        return { problem: `${file} is not a build of better-sqlite3 for ABI ${abi}. \`npm start\` builds it again.` };
    return { file };
}
/** The target for the installed Electron package and node_modules. */
export function nativeTarget(projectDir, platform, arch) {
    const nm = path.join(projectDir, 'node_modules');
    const version = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    const addons = Object.fromEntries(Object.keys(ELECTRON_BUILT_ADDONS).map((name) => [name, version(path.join(nm, name))]));
    const abi = Number(fs.readFileSync(path.join(nm, 'electron', 'abi_version'), 'utf8').trim());
    return { electron: version(path.join(nm, 'electron')), abi, platform, arch: electronArch(arch), addons };
}
/**
 * Makes sure `dir` holds Electron builds of every V8-ABI addon for the target, building them
 * with `rebuild` (the real one runs @electron/rebuild) in a staging copy of each package: Node's
 * builds in node_modules are never touched. Says what it does through `say`.
 */
export async function ensureElectronNatives(opts) {
    const { dir, target, say } = opts;
    const rel = path.relative(opts.projectDir, dir) || dir;
    const problem = manifestProblem(readManifest(dir), target);
    const what = `${Object.entries(target.addons).map(([n, v]) => `${n} ${v}`).join(', ')} for Electron ${target.electron} (ABI ${target.abi}, ${target.platform}-${target.arch})`;
    if (problem === null) {
        say(`Shoebox: using the Electron build of ${what} in ${rel}.`);
        return { built: false };
    }
    say(`Shoebox: building ${what} into ${rel} with @electron/rebuild (${problem}; once per Electron version; Node's build in node_modules stays as it is)…`);
    const stagingDir = path.join(path.dirname(dir), `.staging-${path.basename(dir)}-${process.pid}`);
    fs.rmSync(stagingDir, { recursive: true, force: true });
    try {
        for (const name of Object.keys(target.addons)) {
            const from = path.join(opts.projectDir, 'node_modules', name);
            // The package's sources only: its Node build (build/) and its own dependencies stay behind.
            fs.cpSync(from, path.join(stagingDir, 'node_modules', name), { recursive: true, filter: (src) => !/^(build|node_modules)(\/|$)/.test(path.relative(from, src).split(path.sep).join('/')) });
        }
        fs.writeFileSync(path.join(stagingDir, 'package.json'), JSON.stringify({ name: 'shoebox-electron-native', private: true, dependencies: target.addons }, null, 2));
        await opts.rebuild({ stagingDir, electron: target.electron, arch: target.arch, modules: Object.keys(target.addons) });
        fs.mkdirSync(dir, { recursive: true });
        fs.rmSync(path.join(dir, MANIFEST), { force: true }); // no manifest while files are replaced
        const manifest = { electron: target.electron, abi: target.abi, platform: target.platform, arch: target.arch, addons: {} };
        for (const [name, version] of Object.entries(target.addons)) {
            const built = path.join(stagingDir, 'node_modules', name, ELECTRON_BUILT_ADDONS[name].file);
            if (!fs.existsSync(built))
                throw new Error(`@electron/rebuild finished but left no ${ELECTRON_BUILT_ADDONS[name].file} for ${name}`);
            const kind = classifyAddonFile(built);
            if (kind.kind !== 'v8' || (kind.abi !== null && kind.abi !== target.abi))
                throw new Error(`the ${name} that was built is ${kind.kind === 'v8' ? `for ABI ${kind.abi}` : kind.kind}, not for Electron's ABI ${target.abi}`);
            const file = path.basename(built);
            fs.copyFileSync(built, path.join(dir, `${file}.tmp`));
            fs.renameSync(path.join(dir, `${file}.tmp`), path.join(dir, file));
            manifest.addons[name] = { version, file };
        }
        fs.writeFileSync(path.join(dir, `${MANIFEST}.tmp`), `${JSON.stringify(manifest, null, 2)}\n`);
        fs.renameSync(path.join(dir, `${MANIFEST}.tmp`), path.join(dir, MANIFEST)); // the manifest last: a half-done build is never "ok"
        say(`Shoebox: built ${what}.`);
        return { built: true };
    }
    finally {
        fs.rmSync(stagingDir, { recursive: true, force: true });
    }
}
//# sourceMappingURL=electron-natives.js.map