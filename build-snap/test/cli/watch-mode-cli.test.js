// Issue #15 item 10: the album mode of a watch is the one asked for, even when the folder has
// no subfolders yet (an empty folder a camera import fills later).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
describe('watch add keeps the album mode asked for', () => {
    it('an empty folder added with --mode separate stays separate: subfolders created later become their own albums', async () => {
        const library = path.join(tempDir(), 'lib');
        const root = path.join(tempDir(), 'Imports');
        fs.mkdirSync(root);
        const add = await runCli(['--json', 'watch', 'add', root, '--mode', 'separate'], { library });
        assert.equal(add.code, 0, add.stderr);
        assert.equal(JSON.parse(add.stdout).watch.mode, 'separate');
        writeTree(root, { 'Trip/a.jpg': await jpeg('mode-a'), 'Party/b.jpg': await jpeg('mode-b'), 'c.jpg': await jpeg('mode-c') });
        const ls = JSON.parse((await runCli(['--json', 'watch', 'ls'], { library })).stdout);
        assert.equal(ls[0]?.mode, 'separate');
        const run = spawnCli(['run'], { library }); // catches the watch up on start
        const exited = once(run, 'exit');
        try {
            await waitFor(async () => parseLines((await runCli(['--json', 'ls'], { library })).stdout).length === 3, 30_000, 'the run to back up the three files');
        }
        finally {
            run.kill('SIGINT');
        }
        assert.deepEqual(await exited, [0, null]);
        const rows = parseLines((await runCli(['--json', 'ls'], { library })).stdout);
        assert.deepEqual(rows.map((r) => `${r.album}/${r.name}`).sort(), ['Imports/c.jpg', 'Party/b.jpg', 'Trip/a.jpg']);
    });
    it('a folder without subfolders and no mode is one album, and says that later subfolders join it', async () => {
        const library = path.join(tempDir(), 'lib');
        const root = path.join(tempDir(), 'Flat');
        writeTree(root, { 'a.jpg': await jpeg('flat-a') });
        const add = await runCli(['watch', 'add', root], { library });
        assert.equal(add.code, 0, add.stderr);
        assert.match(add.stdout, /Watching .*Flat \(one album\)/);
        assert.match(add.stdout, /no subfolders yet.*--mode separate/s);
        const ls = JSON.parse((await runCli(['--json', 'watch', 'ls'], { library })).stdout);
        assert.equal(ls[0]?.mode, 'single');
    });
});
//# sourceMappingURL=watch-mode-cli.test.js.map