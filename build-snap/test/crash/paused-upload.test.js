// A race placed by construction (issue #15): an upload is held (SIGSTOP at a fault point) right
// after it stored a blob whose catalog row is not committed yet, the moment where that blob looks
// stray to anyone else. Other processes open the library, check and repair it meanwhile (repair
// may take that blob away: the commit checks that its blob exists, under the write lock, see
// [Note: Blob present at commit]); once resumed, the upload finishes and every file it reported
// as backed up has its verified bytes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { spawnPaused } from '../support/crash-kit.js';
import { jpeg, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';
describe('an upload held between storing a blob and committing its row', () => {
    it('status, check and check --repair from other processes meanwhile; resumed, it completes and every file has its verified blob', { timeout: 300_000 }, async () => {
        const src = path.join(tempDir(), 'Trip');
        const files = {};
        for (let i = 0; i < 40; i++)
            files[`IMG_${i}.jpg`] = await jpeg(`paused-${i}`, 5000);
        writeTree(src, files);
        const library = path.join(tempDir(), 'lib');
        const first = path.join(tempDir(), 'Seed');
        writeTree(first, { 'first.jpg': await jpeg('paused-first') });
        assert.equal((await runCli(['upload', first], { library })).code, 0); // the library exists
        const upload = spawnPaused(['--json', 'upload', src], { library, point: 'blob-placed', step: 10 });
        await upload.paused;
        const objects = path.join(library, 'objects');
        const blobsWhilePaused = fs.readdirSync(objects).flatMap((d) => fs.readdirSync(path.join(objects, d)));
        assert.ok(blobsWhilePaused.length >= 11, `10 new blobs placed besides the first one (${blobsWhilePaused.length})`);
        for (const args of [['status'], ['--json', 'check'], ['check', '--repair']]) {
            const r = await runCli(args, { library });
            assert.ok(r.code === 0 || r.code === 5, `shoebox ${args.join(' ')} exit ${r.code}: ${r.stderr}`);
        }
        upload.resume();
        const done = await upload.exited;
        assert.equal(done.code, 0, done.stderr);
        const summary = JSON.parse(done.stdout);
        assert.deepEqual([summary.stored, summary.failed], [40, 0]);
        assert.equal(parseLines((await runCli(['--json', 'ls'], { library })).stdout).length, 41);
        const v = verifyLibrary(library);
        assert.deepEqual(v.problems, [], 'every row has its verified blob');
        assert.equal(v.blobsChecked, 41);
    });
});
//# sourceMappingURL=paused-upload.test.js.map