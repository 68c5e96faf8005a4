// `npm start`: the desktop app where an Electron binary is installed, after making sure the
// Electron builds of the V8-ABI addons exist beside Node's (electron-natives.ts); otherwise one
// clear paragraph saying what is missing and how to get it, then `shoebox serve` (the same window
// in a browser) instead of a stack trace.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { devNativeDir, ensureElectronNatives, nativeTarget } from './electron-natives.js';
import { runElectronRebuild } from './rebuild-natives.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The source checkout (build/main/electron/start.js lives three folders below it). */
export const PROJECT_DIR = path.resolve(here, '..', '..', '..');

/** The Electron executable, or why there is none. */
export function findElectron(): { path: string } | { missing: string } {
  let exe: string;
  try {
    exe = require('electron') as string; // the npm package exports the binary's path
  } catch (err) {
    return { missing: (err as Error).message };
  }
  return fs.existsSync(exe) ? { path: exe } : { missing: `${exe} does not exist` };
}

/** The paragraph shown when Electron is not installed. */
export const NO_ELECTRON = [
  'Shoebox: the desktop app needs the Electron runtime, which is not installed here',
  '(it is downloaded by Electron\'s installer, and this machine skipped that: ELECTRON_SKIP_BINARY_DOWNLOAD).',
  'To run the desktop app, on a machine that can reach github.com run `node node_modules/electron/install.js`',
  '(or `npm ci` without ELECTRON_SKIP_BINARY_DOWNLOAD), then `npm start` again.',
  'Meanwhile, here is the same Shoebox in your browser: `shoebox serve`, starting now.',
].join('\n');

/** The paragraph shown when the Electron build of the catalog library could not be made. */
export function nativeBuildFailed(reason: string): string {
  return [
    `Shoebox: could not build better-sqlite3 for Electron: ${reason}`,
    'That build is made once per Electron version by @electron/rebuild, which fetches a published build or',
    'compiles one against Electron\'s headers (downloaded once; needs a C++ toolchain: build-essential, Xcode or',
    'the Visual Studio Build Tools). Node\'s build in node_modules is untouched, so tests and the CLI still work.',
    'Meanwhile, here is the same Shoebox in your browser: `shoebox serve`, starting now.',
  ].join('\n');
}

function serve(args: string[]): ChildProcess {
  return spawn(process.execPath, [path.join(here, '..', 'cli', 'shoebox.cjs'), 'serve', ...args], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const found = findElectron();
  let child: ChildProcess;
  if (!('path' in found)) {
    process.stderr.write(`${NO_ELECTRON}\n\n`);
    child = serve(args);
  } else {
    const exe = found.path;
    try {
      await ensureElectronNatives({
        projectDir: PROJECT_DIR,
        dir: devNativeDir(PROJECT_DIR, process.platform, process.arch),
        target: nativeTarget(PROJECT_DIR, process.platform, process.arch),
        rebuild: (job) => runElectronRebuild(exe, job),
        say: (line) => process.stderr.write(`${line}\n`),
      });
      child = spawn(exe, [path.join(here, 'main.js'), ...args], { stdio: 'inherit' });
    } catch (err) {
      process.stderr.write(`${nativeBuildFailed((err as Error).message)}\n\n`);
      child = serve(args);
    }
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    process.stderr.write(`Shoebox: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(1);
  });
}
