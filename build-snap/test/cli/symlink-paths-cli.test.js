// Issue #15 item 8: every "inside / contains / same as" rule compares real paths and
// device + inode, so a symlink cannot get a library backed up into itself, nest one watch in
// another, or send an upload, export or restore into the library.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
async function albumsAndNames(library) {
    const r = await runCli(['--json', 'ls'], { library });
    assert.equal(r.code, 0, r.stderr);
    return parseLines(r.stdout).map((x) => `${x.album}/${x.name}`).sort();
}
describe('symlinks do not get past the path rules', () => {
    it('a library reached through a symlink inside a watched folder is not backed up into itself', async () => {
        const data = path.join(tempDir(), 'Data'); // real folder: holds photos and the library
        writeTree(data, { 'Trip/a.jpg': await jpeg('sym-a') });
        const link = path.join(tempDir(), 'link');
        fs.symlinkSync(data, link);
        const library = path.join(link, 'lib'); // the library as the user named it: through the link
        assert.equal((await runCli(['upload', path.join(data, 'Trip')], { library })).code, 0); // the library now has blobs
        const add = await runCli(['watch', 'add', data, '--mode', 'separate'], { library });
        assert.equal(add.code, 0, add.stderr);
        assert.deepEqual(await albumsAndNames(library), ['Trip/a.jpg'], 'the library\'s own files are not backed up');
        // …and the other way round: the watch named through a link, the library by its real path.
        const data2 = path.join(tempDir(), 'Data2');
        writeTree(data2, { 'Trip/c.jpg': await jpeg('sym-c') });
        const link2 = path.join(tempDir(), 'link2');
        fs.symlinkSync(data2, link2);
        const library2 = path.join(data2, 'lib');
        assert.equal((await runCli(['upload', path.join(data2, 'Trip')], { library: library2 })).code, 0);
        const add2 = await runCli(['watch', 'add', link2, '--mode', 'separate'], { library: library2 });
        assert.equal(add2.code, 0, add2.stderr);
        assert.deepEqual(await albumsAndNames(library2), ['Trip/c.jpg']);
        // Live changes while `run` runs: the library's writes (blobs, catalog, temp files) are not picked up.
        const run = spawnCli(['run'], { library });
        const exited = once(run, 'exit');
        try {
            fs.writeFileSync(path.join(data, 'Trip', 'b.jpg'), await jpeg('sym-b'));
            await waitFor(async () => (await albumsAndNames(library)).includes('Trip/b.jpg'), 30_000, 'b.jpg backed up live');
            await waitFor(async () => {
                const s = JSON.parse((await runCli(['--json', 'status'], { library })).stdout);
                return s.sync?.state === 'idle' && s.sync.queued === 0;
            }, 30_000, 'the engine to settle');
        }
        finally {
            run.kill('SIGINT');
        }
        assert.deepEqual(await exited, [0, null]);
        assert.deepEqual(await albumsAndNames(library), ['Trip/a.jpg', 'Trip/b.jpg']);
    });
    it('a folder inside the library, reached through a symlink, is refused for watch, upload, export and restore', async () => {
        const library = path.join(tempDir(), 'lib');
        const src = path.join(tempDir(), 'Trip');
        writeTree(src, { 'a.jpg': await jpeg('sym-in-a') });
        assert.equal((await runCli(['watch', 'add', src], { library })).code, 0);
        const into = path.join(tempDir(), 'into-lib');
        fs.symlinkSync(library, into);
        const watch = await runCli(['watch', 'add', path.join(into, 'objects')], { library });
        assert.equal(watch.code, 7, watch.stderr);
        assert.match(watch.stderr, /inside the Shoebox library/);
        const upload = await runCli(['upload', path.join(into, 'objects')], { library });
        assert.equal(upload.code, 7, upload.stderr);
        assert.match(upload.stderr, /inside the Shoebox library/);
        const exp = await runCli(['export', '--all', path.join(into, 'out')], { library });
        assert.equal(exp.code, 7, exp.stderr);
        assert.match(exp.stderr, /inside the library/);
        const restore = await runCli(['restore', src, '--to', path.join(into, 'restored')], { library });
        assert.equal(restore.code, 7, restore.stderr);
        assert.match(restore.stderr, /inside the library/);
        assert.equal(fs.existsSync(path.join(library, 'out')) || fs.existsSync(path.join(library, 'restored')), false, 'nothing was written into the library');
    });
    it('a watch reached through a symlink cannot be the same as, or nest inside, another watch', async () => {
        const library = path.join(tempDir(), 'lib');
        const root = path.join(tempDir(), 'Photos');
        writeTree(root, { 'a.jpg': await jpeg('nest-a'), 'Sub/b.jpg': await jpeg('nest-b') });
        assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library })).code, 0);
        const links = tempDir();
        fs.symlinkSync(root, path.join(links, 'same'));
        fs.symlinkSync(path.join(root, 'Sub'), path.join(links, 'sub'));
        const same = await runCli(['watch', 'add', path.join(links, 'same'), '--mode', 'separate'], { library });
        assert.equal(same.code, 7, same.stderr);
        assert.match(same.stderr, /is the same folder as .*Photos, which is already watched/);
        const nested = await runCli(['watch', 'add', path.join(links, 'sub')], { library });
        assert.equal(nested.code, 7, nested.stderr);
        assert.match(nested.stderr, /is inside .*Photos, which is already watched/);
        // The other way: a new watch whose real folder contains an existing one.
        const library2 = path.join(tempDir(), 'lib2');
        assert.equal((await runCli(['watch', 'add', path.join(links, 'sub')], { library: library2 })).code, 0);
        const outer = await runCli(['watch', 'add', root, '--mode', 'separate'], { library: library2 });
        assert.equal(outer.code, 7, outer.stderr);
        assert.match(outer.stderr, /contains .*sub, which is already watched/);
        const ls = JSON.parse((await runCli(['--json', 'watch', 'ls'], { library })).stdout);
        assert.equal(ls.length, 1);
    });
});
//# sourceMappingURL=symlink-paths-cli.test.js.map