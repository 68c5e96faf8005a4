// `npm run build` compiles incrementally (tsc -b), which trusts its build info and never looks for
// its outputs: resources/ts-outputs.mjs removes the build info when a compiled file is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { tempDir } from '../support/fixtures.js';

const SCRIPT = fileURLToPath(new URL('../../../resources/ts-outputs.mjs', import.meta.url));

/** A project tree with the script, a tsconfig.json, one source of each kind and their outputs, and build info. */
function project(): string {
  const root = tempDir();
  const put = (rel: string, text = '') => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  fs.mkdirSync(path.join(root, 'resources'));
  fs.copyFileSync(SCRIPT, path.join(root, 'resources', 'ts-outputs.mjs'));
  put('tsconfig.json', JSON.stringify({ include: ['main/**/*.ts', 'main/**/*.cts', 'workers/**/*.ts'] }));
  put('workers/w.ts');
  put('build/workers/w.js');
  put('main/core/a.ts');
  put('main/core/types.d.ts');
  put('main/cli/launch.cts');
  put('build/main/core/a.js');
  put('build/main/cli/launch.cjs');
  put('build/.tsbuildinfo', '{}');
  const built = new Date(Date.now() - 60_000); // the last build, a minute ago
  for (const f of ['main/core/a.ts', 'main/core/types.d.ts', 'main/cli/launch.cts', 'workers/w.ts', 'build/main/core/a.js', 'build/main/cli/launch.cjs', 'build/workers/w.js']) fs.utimesSync(path.join(root, f), new Date(built.getTime() - 1000), new Date(built.getTime() - 1000));
  fs.utimesSync(path.join(root, 'build', '.tsbuildinfo'), built, built);
  return root;
}

const build = (root: string) => spawnSync(process.execPath, [path.join(root, 'resources', 'ts-outputs.mjs')], { encoding: 'utf8' });

it('a build with every output keeps its build info (incremental); a missing output makes tsc compile everything again', () => {
  const whole = project();
  assert.equal(build(whole).status, 0);
  assert.ok(fs.existsSync(path.join(whole, 'build', '.tsbuildinfo')), 'nothing missing (a .d.ts has no output): kept');
  fs.writeFileSync(path.join(whole, 'main', 'core', 'new.ts'), '');
  assert.equal(build(whole).status, 0);
  assert.ok(fs.existsSync(path.join(whole, 'build', '.tsbuildinfo')), 'a source added since the last build has no output yet: tsc compiles it, the rest stays incremental');

  for (const gone of ['build/main/core/a.js', 'build/main/cli/launch.cjs', 'build/workers/w.js']) {
    const root = project();
    fs.rmSync(path.join(root, gone));
    const r = build(root);
    assert.equal(r.status, 0);
    assert.ok(!fs.existsSync(path.join(root, 'build', '.tsbuildinfo')), `${gone} deleted: the build info goes`);
    assert.match(r.stdout, new RegExp(`1 compiled file\\(s\\) missing \\(${gone.replace(/[./]/g, (c) => `\\${c}`)}\\)`));
  }
});
