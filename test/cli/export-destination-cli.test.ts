// Where `export` and `restore --to` may write: a destination that is not a folder is refused
// before any work, with what is in the way, instead of a stack trace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';

const STACK = /\n\s+at .+:\d+:\d+/;

describe('export and restore destinations', () => {
  const library = path.join(tempDir(), 'lib');
  const src = path.join(tempDir(), 'Trip');
  before(async () => {
    writeTree(src, { 'Day 1/a.jpg': await jpeg('dest-a'), 'Day 1/b.jpg': await jpeg('dest-b') });
    const add = await runCli(['watch', 'add', src, '--mode', 'separate'], { library });
    assert.equal(add.code, 0, add.stderr);
  });

  it('a destination that is a file, or lies under one, is refused as not a folder (exit 7) and the file is left alone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'somefile');
    fs.writeFileSync(file, 'keep me');
    for (const args of [['export', 'Day 1', file], ['--json', 'export', 'Day 1', path.join(file, 'sub')], ['restore', src, '--to', file]]) {
      const r = await runCli(args, { library });
      assert.equal(r.code, 7, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /somefile is a file, not a folder/);
      assert.doesNotMatch(r.stderr, STACK);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    assert.deepEqual(fs.readdirSync(dir), ['somefile']);
  });

  it("a file where an album's folder should be fails that album's photos one by one (exit 3), without a stack trace", async () => {
    const dest = tempDir();
    fs.writeFileSync(path.join(dest, 'Day 1'), 'in the way');
    const r = await runCli(['export', 'Day 1', dest], { library });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /2 could not be exported/);
    assert.doesNotMatch(r.stderr, STACK);
    assert.equal(fs.readFileSync(path.join(dest, 'Day 1'), 'utf8'), 'in the way');
  });
});
