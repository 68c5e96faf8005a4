// File ids on the command line: an id the library has no file for is the same clear error for
// every command that takes ids (exit 7), and never a silent "0 files".
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { jpeg, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';

interface Row { fileId: number; name: string }

describe('file ids that do not exist', () => {
  const library = path.join(tempDir(), 'lib');
  const ids: number[] = [];
  before(async () => {
    const src = path.join(tempDir(), 'Roll');
    writeTree(src, { 'a.jpg': await jpeg('ids-a'), 'b.jpg': await jpeg('ids-b') });
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    ids.push(...parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).map((r) => r.fileId));
    assert.equal(ids.length, 2);
  });

  it('rm of an unknown id is refused like history, cat and trash restore (exit 7); with known ids beside it, nothing is moved', async () => {
    for (const args of [['history', '9999'], ['cat', '9999'], ['trash', 'restore', '9999'], ['rm', '9999']]) {
      const r = await runCli(args, { library });
      assert.equal(r.code, 7, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /There is no file 9999 in the library|File 9999 is not in the library/);
      assert.doesNotMatch(r.stdout, /moved to Trash/);
    }
    const mixed = await runCli(['--json', 'rm', String(ids[0]), '9999', '9998'], { library });
    assert.equal(mixed.code, 7);
    assert.deepEqual(JSON.parse(mixed.stdout), { error: { code: 'NOT_FOUND', userMessage: 'There are no files 9999 and 9998 in the library, so nothing was moved to Trash.' } });
    assert.equal(parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).length, 2, 'the known file was not moved either');
  });

  it('rm says which ids were already in Trash', async () => {
    assert.match((await runCli(['rm', String(ids[0])], { library })).stdout, /^1 file moved to Trash\.\n$/);
    const again = await runCli(['--json', 'rm', String(ids[0]), String(ids[1])], { library });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(JSON.parse(again.stdout), { trashed: 1, alreadyInTrash: 1 });
  });
});
