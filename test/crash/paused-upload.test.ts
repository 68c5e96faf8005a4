// A race placed by construction (issue #15): an upload is held (the fault layer's pause, in the
// worker thread that placed the blob) right after it stored a blob whose catalog row is not
// committed yet, the moment where that blob looks stray to anyone else. Only that thread waits: a
// SIGSTOP of the whole process could land while its main thread commits another batch, holding
// the catalog's write lock, and every other process would then wait on a lock no one releases. Other processes open the library, check and repair it meanwhile (repair
// may take that blob away: the commit checks that its blob exists, under the write lock, see
// [Note: Blob present at commit]); once resumed, the upload finishes and every file it reported
// as backed up has its verified bytes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, killStartedClis, parseLines, runCli, startCli, tempDir, writeTree } from '../support/fixtures.js';
import { PauseControl } from '../support/pause.js';
import { verifyLibrary } from '../support/verify-library.js';

describe('an upload held between storing a blob and committing its row', () => {
  after(killStartedClis); // a failed test leaves no held upload behind
  it('status, check and check --repair from other processes meanwhile; resumed, it completes and every file has its verified blob', { timeout: 300_000 }, async () => {
    const src = path.join(tempDir(), 'Trip');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 40; i++) files[`IMG_${i}.jpg`] = await jpeg(`paused-${i}`, 5000);
    writeTree(src, files);
    const library = path.join(tempDir(), 'lib');
    const first = path.join(tempDir(), 'Seed');
    writeTree(first, { 'first.jpg': await jpeg('paused-first') });
    assert.equal((await runCli(['upload', first], { library })).code, 0); // the library exists

    const pause = new PauseControl();
    const upload = startCli(['--json', 'upload', src], { library, env: pause.env('blob-placed:10') });
    await pause.reached('blob-placed', () => upload.child.exitCode !== null);
    const objects = path.join(library, 'objects');
    const blobsWhilePaused = fs.readdirSync(objects).flatMap((d) => fs.readdirSync(path.join(objects, d)));
    assert.ok(blobsWhilePaused.length >= 11, `10 new blobs placed besides the first one (${blobsWhilePaused.length})`);
    for (const args of [['status'], ['--json', 'check'], ['check', '--repair']]) {
      const r = await runCli(args, { library });
      assert.ok(r.code === 0 || r.code === 5, `shoebox ${args.join(' ')} exit ${r.code}: ${r.stderr}`);
    }

    pause.release('blob-placed');
    const done = await upload.done;
    assert.equal(done.code, 0, done.stderr);
    const summary = JSON.parse(done.stdout) as { stored: number; failed: number };
    assert.deepEqual([summary.stored, summary.failed], [40, 0]);
    assert.equal(parseLines((await runCli(['--json', 'ls'], { library })).stdout).length, 41);
    const v = verifyLibrary(library);
    assert.deepEqual(v.problems, [], 'every row has its verified blob');
    assert.equal(v.blobsChecked, 41);
  });
});
