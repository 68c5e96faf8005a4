// Running an export or a restore again over what it wrote reads each file already there once, in
// a worker: the check for a foreign file where a part goes and the copy's own "already there?"
// check share one hash (they read RAWs twice, the first time on the main thread). A file of
// another size is not read at all. Counted with the `dest-hashed` trace point ([Note: Fault injection]).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, killStartedClis, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { movHeader } from '../support/media-fixtures.js';

const TRACE = { SHOEBOX_FAULTS: 'dest-hashed:trace' };
const hashed = (stderr: string) => stderr.split('\n').filter((l) => /shoebox-fault: trace dest-hashed/.test(l)).length;

describe('export and restore run again (CLI)', () => {
  let library: string;
  let src: string;
  before(async () => {
    library = path.join(tempDir(), 'lib');
    src = path.join(tempDir(), 'Trip');
    writeTree(src, {
      'IMG_1.jpg': await jpeg('resume-1'), 'IMG_1.CR2': Buffer.alloc(9000, 3), // a RAW+JPEG pair
      'IMG_2.jpg': await jpeg('resume-2'), 'IMG_2.MOV': movHeader(7000, 5), // a live photo
      'IMG_2.jpg.xmp': Buffer.from('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'),
      'c.jpg': await jpeg('resume-3'),
    });
    const up = await runCli(['upload', src], { library });
    assert.equal(up.code, 0, up.stderr);
  });
  after(killStartedClis);

  it('export again: each file already there is read once, and the run writes nothing', async () => {
    const dest = path.join(tempDir(), 'out');
    const first = await runCli(['--json', 'export', '--all', dest], { library, env: TRACE });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(hashed(first.stderr), 0, 'nothing was there to read');
    const files = fs.readdirSync(path.join(dest, 'Trip')).sort();
    assert.deepEqual(files, ['IMG_1.CR2', 'IMG_1.jpg', 'IMG_2.MOV', 'IMG_2.jpg', 'IMG_2.jpg.xmp', 'c.jpg']);
    const again = await runCli(['--json', 'export', '--all', dest], { library, env: TRACE });
    assert.equal(again.code, 0, again.stderr);
    const s = JSON.parse(again.stdout) as { written: number; skipped: number };
    assert.deepEqual([s.written, s.skipped], [0, files.length]);
    assert.equal(hashed(again.stderr), files.length, 'once per file (parts included), not twice');
  });

  it('a foreign file of another size where a RAW goes is not read, and keeps its photo from being written', async () => {
    const dest = path.join(tempDir(), 'out');
    writeTree(path.join(dest, 'Trip'), { 'IMG_1.CR2': 'someone else\'s raw' });
    const r = await runCli(['--json', 'export', '--all', dest], { library, env: TRACE });
    assert.equal(r.code, 3, r.stderr); // some files not written
    assert.equal(hashed(r.stderr), 0);
    assert.equal(fs.readFileSync(path.join(dest, 'Trip', 'IMG_1.CR2'), 'utf8'), 'someone else\'s raw');
    assert.equal(fs.existsSync(path.join(dest, 'Trip', 'IMG_1.jpg')), false);
  });

  it('restore again: each file already there is read once', async () => {
    const to = tempDir();
    const first = await runCli(['--json', 'restore', src, '--to', to], { library, env: TRACE });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(hashed(first.stderr), 0);
    const again = await runCli(['--json', 'restore', src, '--to', to], { library, env: TRACE });
    assert.equal(again.code, 0, again.stderr);
    const s = JSON.parse(again.stdout) as { files: number; written: number; skipped: number };
    assert.deepEqual([s.written, s.skipped], [0, s.files]);
    assert.equal(s.files, 6);
    assert.equal(hashed(again.stderr), s.files, 'once per file, not twice');
  });
});
