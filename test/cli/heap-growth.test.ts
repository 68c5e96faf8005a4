import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { HEAP_GROWING_PERCENT } from '../../main/core/heap-growth.cjs';
import { CLI, tempDir } from '../support/fixtures.js';

test('the shoebox command tells V8 to keep its heaps small before the command runs ([Note: Heap growth])', () => {
  const dir = tempDir();
  // A preload that records the V8 flags the process sets (the launcher's require of node:v8 gets this same module).
  const preload = path.join(dir, 'record-flags.cjs');
  fs.writeFileSync(preload, `const v8 = require('node:v8'); const set = v8.setFlagsFromString; const seen = [];
v8.setFlagsFromString = (f) => { seen.push(f); return set(f); };
process.on('exit', () => process.stderr.write('flags: ' + JSON.stringify(seen) + '\\n'));`);
  const r = spawnSync(process.execPath, ['-r', preload, CLI, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`flags: .*--heap-growing-percent=${HEAP_GROWING_PERCENT}`));
});
