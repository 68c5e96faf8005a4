// Bundles the window with esbuild: the renderer (Lit + the API contract) into build/renderer/,
// the folder `shoebox serve` and the Electron window load, and the Electron preload into
// build/preload/index.cjs (sandboxed preloads must be one CommonJS script). Run by `npm run build`.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'build', 'renderer');
fs.mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'main.ts')],
  bundle: true,
  format: 'esm',
  target: ['chrome120'],
  outfile: path.join(out, 'main.js'),
  sourcemap: true,
  // Always minified (the source map keeps it readable): 1 MB of script to parse was a tenth of
  // the window's first paint on a busy machine; minified it is 0.6 MB (zod is most of it).
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const f of ['index.html', 'app.css', 'icon.svg']) fs.copyFileSync(path.join(here, f), path.join(out, f));
await build({
  entryPoints: [path.join(here, '..', 'preload', 'index.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: ['node20'],
  external: ['electron'],
  outfile: path.join(here, '..', 'build', 'preload', 'index.cjs'),
  logLevel: 'warning',
});
