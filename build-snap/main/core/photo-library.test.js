import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../test/support/fixtures.js';
import { Engine } from './engine.js';
describe('albums and Trash from the window', () => {
    let engine;
    let ids;
    const root = tempDir();
    before(async () => {
        writeTree(root, {
            'A/2024/Summer/a.jpg': await jpeg('pl-a'),
            'B/Summer/b.jpg': await jpeg('pl-b'),
            'B/Winter/w.jpg': await jpeg('pl-w'),
        });
        engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
        await engine.upload({ paths: [path.join(root, 'A'), path.join(root, 'B')], mode: 'separate' });
        ids = Object.fromEntries(engine.list().map((r) => [r.name, r.fileId]));
    });
    after(() => engine.close());
    const album = (name) => engine.photos.albums().find((a) => a.name === name);
    it('an album that gathers folders of the same leaf name shows where they are', () => {
        const summer = album('Summer');
        assert.equal(summer.fileCount, 2);
        assert.deepEqual(summer.folders, [path.join(root, 'A/2024').split(path.sep).slice(-2).join('/'), path.basename(root) + '/B'].sort());
        assert.ok(summer.coverId === ids['a.jpg'] || summer.coverId === ids['b.jpg']);
    });
    it('creates and renames albums; a taken name or Uncategorized is refused with a clear message', () => {
        const made = engine.photos.createAlbum('  Best of  ');
        assert.equal(made.name, 'Best of');
        assert.equal(made.fileCount, 0);
        assert.throws(() => engine.photos.createAlbum('Winter'), (e) => e.code === 'CONFLICT' && /already an album named "Winter"/.test(e.userMessage));
        assert.throws(() => engine.photos.createAlbum('Uncategorized'), (e) => e.code === 'CONFLICT');
        assert.equal(engine.photos.renameAlbum(made.id, 'Best of 2024').name, 'Best of 2024');
        assert.throws(() => engine.photos.renameAlbum(album('Uncategorized').id, 'X'), (e) => e.code === 'INVALID_ARGUMENT');
        assert.throws(() => engine.photos.renameAlbum(99_999, 'X'), (e) => e.code === 'NOT_FOUND');
    });
    it('adding to and removing from albums keeps Uncategorized right', () => {
        const best = album('Best of 2024');
        assert.equal(engine.photos.addFiles(best.id, [ids['w.jpg'], ids['a.jpg']]), 2);
        assert.equal(engine.photos.addFiles(best.id, [ids['w.jpg']]), 0, 'already in it');
        assert.equal(engine.photos.removeFiles(album('Winter').id, [ids['w.jpg']]), 1);
        assert.equal(album('Uncategorized').fileCount, 0, 'w.jpg is still in Best of');
        assert.equal(engine.photos.removeFiles(best.id, [ids['w.jpg']]), 1);
        assert.equal(album('Uncategorized').fileCount, 1, 'in no album now: Uncategorized');
        assert.equal(engine.photos.addFiles(album('Winter').id, [ids['w.jpg']]), 1);
        assert.equal(album('Uncategorized').fileCount, 0);
    });
    it('Trash from the window forgets the source (not backed up again) and restore puts files back', () => {
        assert.equal(engine.photos.trash([ids['b.jpg']]), 1);
        assert.equal(album('Summer').fileCount, 1);
        assert.equal(engine.photos.days().total, 2);
        assert.equal(engine.trash.restore([ids['b.jpg']]), 1);
        assert.equal(album('Summer').fileCount, 2);
        assert.ok(engine.photos.info(ids['b.jpg']).albums.some((a) => a.name === 'Summer'));
    });
});
//# sourceMappingURL=photo-library.test.js.map