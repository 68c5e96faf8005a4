// Builds the V8-ABI addons for Electron with @electron/rebuild, inside a staging copy made by
// ensureElectronNatives (electron-natives.ts). It runs in Electron's own Node
// (ELECTRON_RUN_AS_NODE=1): @electron/rebuild 4 needs Node ≥ 22.12, which Electron 41 has and our
// Node 20 has not, and the runtime is there whenever a build is wanted.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
/** Runs one rebuild job under the given Electron executable; rejects with its output's last lines on failure. */
export function runElectronRebuild(electronExe, job) {
    return new Promise((resolve, reject) => {
        const child = spawn(electronExe, [fileURLToPath(import.meta.url), JSON.stringify(job)], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'inherit', 'pipe'] });
        let err = '';
        child.stderr.on('data', (d) => {
            err = (err + d.toString()).slice(-4000);
            process.stderr.write(d);
        });
        child.on('error', reject);
        child.on('exit', (code, signal) => {
            if (code === 0)
                resolve();
            else
                reject(new Error(`@electron/rebuild failed (${signal ?? `exit ${code}`}): ${err.trim().split('\n').slice(-5).join(' / ') || 'no output'}`));
        });
    });
}
async function main() {
    const job = JSON.parse(process.argv[2] ?? '');
    const { rebuild } = await import('@electron/rebuild');
    // prebuild-install (found in the project's node_modules, above the staging folder) fetches a
    // published Electron build where one exists; otherwise node-gyp compiles it against Electron's headers.
    await rebuild({ buildPath: job.stagingDir, electronVersion: job.electron, arch: job.arch, onlyModules: job.modules, force: true, mode: 'sequential' });
}
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main().catch((err) => {
        process.stderr.write(`${err?.stack ?? String(err)}\n`);
        process.exit(1);
    });
}
//# sourceMappingURL=rebuild-natives.js.map