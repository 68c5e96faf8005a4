import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { HEAP_GROWING_PERCENT } from '../../main/core/heap-growth.js';
import { CLI, tempDir } from '../support/fixtures.js';

test('a command that opens the engine (not only run) keeps its heaps near what is live ([Note: A heap that stays near what is live])', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'empty'));
  // A preload that records the V8 flags the process sets (the engine's import of node:v8 gets this same module).
  const preload = path.join(dir, 'record-flags.cjs');
  fs.writeFileSync(preload, `const v8 = require('node:v8'); const set = v8.setFlagsFromString; const seen = [];
v8.setFlagsFromString = (f) => { seen.push(f); return set(f); };
process.on('exit', () => process.stderr.write('flags: ' + JSON.stringify(seen) + '\\n'));`);
  const r = spawnSync(process.execPath, ['-r', preload, CLI, '--library', path.join(dir, 'lib'), 'upload', path.join(dir, 'empty')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`flags: .*--heap-growing-percent=${HEAP_GROWING_PERCENT}`));
});
