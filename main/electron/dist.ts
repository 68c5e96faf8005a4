// `npm run dist`: installers with electron-builder (electron-builder.yml). Building them needs
// the Electron runtime zip (and AppImage/NSIS tools) from github.com; where that can't be
// fetched, this says so plainly instead of ending in a network stack trace.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

import { findElectron } from './start.js';

const require = createRequire(import.meta.url);
const cli = require.resolve('electron-builder/cli.js');
const NO_NETWORK =
  'Shoebox: electron-builder needs the Electron runtime (and its packaging tools and headers) from github.com and ' +
  'electronjs.org, which this machine cannot reach, so no installer was built and nothing was changed. Run `npm run dist` ' +
  'on a machine with internet access (the app itself is built and tested here; `npm start` runs it where Electron is installed).\n';

// Without the Electron runtime nothing can be packaged, and electron-builder would first rebuild
// the native modules (better-sqlite3, sharp) for Electron in place, then fail to fetch its
// headers, leaving node_modules without a working build for Node. Stop before touching anything.
const electron = findElectron();
if (!('path' in electron)) {
  process.stderr.write(NO_NETWORK);
  process.exit(1);
}
const r = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { encoding: 'utf8', stdio: ['inherit', 'pipe', 'pipe'] });
process.stdout.write(r.stdout ?? '');
if (r.status === 0) {
  process.stderr.write('Shoebox: installers are in dist/. Native modules were rebuilt for Electron; run `npm rebuild` before `npm test` under Node.\n');
  process.exit(0);
}
const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
if (/github\.com|electronjs\.org|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|download/i.test(out)) {
  process.stderr.write(NO_NETWORK);
} else {
  process.stderr.write(r.stderr ?? '');
}
process.exit(r.status ?? 1);
