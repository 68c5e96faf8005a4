// A library location that is not a folder (`--library /dev/null`, a photo given by mistake) is
// refused by every command with what is wrong and what to do, exit 7, not an internal error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli, tempDir } from '../support/fixtures.js';

const STACK = /\n\s+at .+:\d+:\d+/;

describe('the library location', () => {
  it('a file or a device given as the library is refused as not a folder (exit 7), by any command, also with --json; nothing is created', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'notes.txt');
    fs.writeFileSync(file, 'not a library');
    const cases: Array<{ library: string; args: string[]; says: RegExp }> = [
      { library: file, args: ['albums'], says: /library location must be a folder, but .*notes\.txt is a file\. Point --library/ },
      { library: file, args: ['upload', dir], says: /notes\.txt is a file/ },
      { library: path.join(file, 'lib'), args: ['status'], says: /notes\.txt \(on the way to .*notes\.txt\/lib\) is a file/ },
      { library: file, args: ['check', '--recover'], says: /notes\.txt is a file/ },
      ...(fs.existsSync('/dev/null') ? [{ library: '/dev/null', args: ['albums'], says: /\/dev\/null is a device/ }] : []),
    ];
    for (const c of cases) {
      const r = await runCli(c.args, { library: c.library });
      assert.equal(r.code, 7, `${c.args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, c.says);
      assert.doesNotMatch(r.stderr, STACK);
      assert.doesNotMatch(r.stderr, /Something went wrong inside Shoebox/);
    }
    const json = await runCli(['--json', 'status'], { library: file });
    assert.equal(json.code, 7);
    assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'NOT_A_FOLDER');
    assert.deepEqual(fs.readdirSync(dir), ['notes.txt'], 'nothing created beside it');
    assert.equal(fs.readFileSync(file, 'utf8'), 'not a library');
  });
});
