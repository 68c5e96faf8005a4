// A file name that is not valid UTF-8 (a byte 0xff) is kept exactly, and every output shows the
// byte as \xff: the text, the --json lines and error messages alike (helper-49 found a NUL
// character in `--json` and in an error message).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, runCli, tempDir } from '../support/fixtures.js';

describe('a name that is not UTF-8, in the command\'s output', { skip: process.platform !== 'linux' && 'Linux keeps any byte in a name' }, () => {
  it('shows its byte as \\xff in text, in --json and in error messages, never as a NUL', async () => {
    const src = path.join(tempDir(), 'Raw');
    fs.mkdirSync(src);
    const bytes = (name: string) => Buffer.concat([Buffer.from(src + path.sep), Buffer.from(name.replace('?', '\xff'), 'latin1')]);
    fs.writeFileSync(bytes('bad?.jpg'), await jpeg('raw-name'));
    fs.writeFileSync(bytes('odd?.jpg'), 'not a photo at all'); // kept by its extension: its path is listed
    const library = path.join(tempDir(), 'lib');
    const up = await runCli(['--json', 'upload', src], { library });
    assert.equal(up.code, 0, up.stderr);
    assert.ok(!up.stdout.includes('\\u0000') && !up.stdout.includes('\0'), up.stdout);
    assert.deepEqual((JSON.parse(up.stdout) as { unrecognised: { paths: string[] } }).unrecognised.paths, [path.join(src, 'odd\\xff.jpg')]);
    const ls = await runCli(['--json', 'ls'], { library });
    const rows = ls.stdout.trim().split('\n').map((l) => JSON.parse(l) as { fileId: number; name: string });
    assert.deepEqual(rows.map((r) => r.name).sort(), ['bad\\xff.jpg', 'odd\\xff.jpg']);
    const id = rows.find((r) => r.name === 'bad\\xff.jpg')!.fileId;
    // an error that names the file: the current version has nothing earlier to put back
    const rv = await runCli(['restore-version', String(id)], { library });
    assert.notEqual(rv.code, 0);
    assert.ok(!rv.stderr.includes('\0'), JSON.stringify(rv.stderr));
    assert.match(rv.stderr, /bad\\xff\.jpg/);
    const rvJson = await runCli(['--json', 'restore-version', String(id)], { library });
    assert.ok(!rvJson.stdout.includes('\\u0000'), rvJson.stdout);
  });

  it('a folder whose name is not UTF-8 is uploaded and watched (it crashed both, and a running engine paused; helper-50)', async () => {
    const src = path.join(tempDir(), 'Tree');
    const sub = Buffer.concat([Buffer.from(src + path.sep), Buffer.from('sub\xfe', 'latin1')]);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(Buffer.concat([sub, Buffer.from('/x.jpg')]), await jpeg('raw-folder-x'));
    fs.writeFileSync(path.join(src, 'top.jpg'), await jpeg('raw-folder-top'));
    for (const args of [['upload', src], ['watch', 'add', src, '--mode', 'separate']]) {
      const library = path.join(tempDir(), 'lib');
      const r = await runCli(args, { library });
      assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
      const albums = (await runCli(['--json', 'albums'], { library })).stdout;
      assert.match(albums, /"name":"sub\\\\xfe"/, albums);
      assert.equal((await runCli(['check', '--read-data'], { library })).code, 0);
    }
  });
});
