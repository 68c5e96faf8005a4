// `npm start`: the desktop app where an Electron binary is installed; otherwise one clear
// paragraph saying what is missing and how to get it, then `shoebox serve` (the same window in
// a browser) instead of a stack trace.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

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

function main(): void {
  const args = process.argv.slice(2);
  const found = findElectron();
  const child =
    'path' in found
      ? spawn(found.path, [path.join(here, 'main.js'), ...args], { stdio: 'inherit' })
      : (process.stderr.write(`${NO_ELECTRON}\n\n`), spawn(process.execPath, [path.join(here, '..', 'cli', 'shoebox.js'), 'serve', ...args], { stdio: 'inherit' }));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
