// Bundles the window with esbuild: the renderer (Lit + the API contract) into build/renderer/,
// the folder `shoebox serve` and the Electron window load, and the Electron preload into
// build/preload/index.cjs (sandboxed preloads must be one CommonJS script). Run by `npm run build`;
// a bundle newer than every file that went into it (esbuild's metafile lists them) is kept.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '..', 'build', 'renderer');
fs.mkdirSync(out, { recursive: true });

const root = path.join(here, '..');

/** Runs an esbuild build unless its output is newer than all its inputs of last time (same options). */
async function bundle(options) {
  // Kept outside the served and shipped folders (build/renderer is served as is).
  const meta = path.join(root, 'build', '.bundle-inputs', `${path.basename(options.outfile)}.json`);
  const key = JSON.stringify(options);
  try {
    const built = fs.statSync(options.outfile).mtimeMs;
    const last = JSON.parse(fs.readFileSync(meta, 'utf8'));
    if (last.key === key && last.inputs.every((f) => fs.statSync(path.join(root, f)).mtimeMs <= built)) return;
  } catch {
    // no earlier build, or an input is gone: build
  }
  const result = await build({ ...options, absWorkingDir: root, metafile: true });
  fs.mkdirSync(path.dirname(meta), { recursive: true });
  fs.writeFileSync(meta, JSON.stringify({ key, inputs: Object.keys(result.metafile.inputs) }));
}

await bundle({
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
await bundle({
  entryPoints: [path.join(here, '..', 'preload', 'index.ts')],
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: ['node20'],
  external: ['electron'],
  outfile: path.join(here, '..', 'build', 'preload', 'index.cjs'),
  logLevel: 'warning',
});
