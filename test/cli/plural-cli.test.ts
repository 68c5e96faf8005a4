// Counts of one in the command's output are singular ("1 group", "1 file: …"), never "1 groups".
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';

describe('counts of one in CLI output', () => {
  it('upload, dedup, storage and status say "1 file", "1 group", "1 extra copy", "1 copy", "1 blob"', async () => {
    const library = path.join(tempDir(), 'lib');
    const root = tempDir();
    const a = await jpeg('plural-a');
    writeTree(root, { 'One/a.jpg': a, 'Two/a copy.jpg': a });
    const up = await runCli(['upload', path.join(root, 'One')], { library });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /^1 file: 1 new, /);
    assert.equal((await runCli(['upload', path.join(root, 'Two')], { library })).code, 0);
    const dry = await runCli(['dedup', '--dry-run'], { library });
    assert.match(dry.stdout, /group [0-9a-f]{12} .* 2 copies\n/);
    assert.match(dry.stdout, /\n1 group, 1 extra copy\. Files:/);
    assert.match((await runCli(['storage'], { library })).stdout, /Duplicates\s+1 group, 1 extra copy /);
    const done = await runCli(['dedup', '--yes'], { library });
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /Done: 1 group, 1 copy moved to Trash/);
    assert.match((await runCli(['status'], { library })).stdout, /Files {4}1 in 2 albums .*\nStored {3}\S+ \S+ in 1 blob /);
  });
});
