// Arguments no command may take for something else (real processes): an empty argument ("") is
// never the current folder, and `--older-than` takes only real calendar dates.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';

describe('command-line arguments', () => {
  it('an empty path argument is refused with exit 2 by every command that takes paths, before anything is read or freed (the current folder stays as it was)', async () => {
    const cwd = path.join(tempDir(), 'Here');
    writeTree(cwd, { 'a.jpg': await jpeg('empty-arg-a', 2000), 'sub/b.jpg': await jpeg('empty-arg-b', 2000) });
    const library = path.join(tempDir(), 'lib');
    const env = { XDG_DATA_HOME: path.join(tempDir(), 'data') };
    const dest = path.join(tempDir(), 'out');
    const commands = [
      ['import', '', '--free-up', '--yes'], ['free-up', '', '--yes'], ['free-up', cwd, ''], ['upload', ''], ['watch', 'add', '', '--mode', 'single'],
      ['watch', 'rm', ''], ['export', ''], ['export', 'Album', ''], ['restore', '', '--to', dest], ['restore', cwd, '--to', ''], ['--library', '', 'status'],
    ];
    for (const args of commands) {
      const r = await runCli(args, { library, env, cwd });
      assert.equal(r.code, 2, `${JSON.stringify(args)}: ${r.stderr}`);
      assert.match(r.stderr, /(an empty argument \(""\) was given to `shoebox [a-z -]+`; Shoebox never takes "" for the current folder|was given an empty value \(""\))/, JSON.stringify(args));
    }
    assert.deepEqual(fs.readdirSync(cwd).sort(), ['a.jpg', 'sub']);
    assert.ok(fs.existsSync(path.join(cwd, 'sub/b.jpg')));
    assert.equal(fs.existsSync(library), false, 'no library was even made');
    assert.equal(fs.existsSync(path.join(env.XDG_DATA_HOME, 'Trash')), false);
  });
});
