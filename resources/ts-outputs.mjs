// Run by `npm run build` before `tsc -b`. The incremental build trusts build/.tsbuildinfo and
// never looks for its outputs, so a compiled file deleted by hand (or by a partial clean) was
// not written again and the app failed at its import. When a TypeScript source the last build
// saw (not newer than its build info) has no output, the build info is removed and tsc compiles
// everything once more (~20 s). A new source has no output yet; tsc compiles it anyway.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const info = path.join(root, 'build', '.tsbuildinfo');

/** The compiled file of each TypeScript source under `dir` not newer than `since`. */
function* outputs(dir, since) {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) {
      yield* outputs(rel, since);
      continue;
    }
    const ext = e.name.endsWith('.d.ts') ? null : e.name.endsWith('.ts') ? '.ts' : e.name.endsWith('.cts') ? '.cts' : null;
    if (ext === null || fs.statSync(path.join(root, rel)).mtimeMs > since) continue;
    yield path.join('build', rel.slice(0, -ext.length) + (ext === '.ts' ? '.js' : '.cjs'));
  }
}

if (fs.existsSync(info)) {
  const since = fs.statSync(info).mtimeMs;
  // The folders tsconfig.json compiles ("main/**/*.ts" → main).
  const { include } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const dirs = [...new Set(include.map((pattern) => pattern.split('/')[0]))];
  const missing = dirs.flatMap((d) => [...outputs(d, since)]).filter((f) => !fs.existsSync(path.join(root, f)));
  if (missing.length > 0) {
    fs.rmSync(info);
    console.log(`build: ${missing.length} compiled file(s) missing (${missing[0]}${missing.length > 1 ? ', …' : ''}): compiling everything again`);
  }
}
