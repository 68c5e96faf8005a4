import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { verifyLibrary } from '../../../test/support/verify-library.js';
import { blobPath } from '../blobs/blob-store.js';
import { Engine } from '../engine.js';
import { chooseKeep } from './choose-keep.js';
const DAY = 86_400_000;
const engines = [];
after(async () => {
    for (const e of engines)
        await e.close();
});
/** An engine with a settable clock. */
function engineWithClock() {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), now: () => clock.now, retryDelayMs: 1 });
    engines.push(engine);
    return { engine, clock };
}
function albums(engine) {
    const out = {};
    for (const r of engine.list())
        (out[r.album] ??= []).push(`${r.name}#${r.fileId}`);
    for (const k of Object.keys(out))
        out[k].sort();
    return out;
}
/** Uploads folders so that the same bytes end up as different library files (different names). */
async function duplicatesAcrossAlbums(engine) {
    const dup = await jpeg('dup-content', 5000);
    const uniq = await jpeg('unique', 7000);
    const root = tempDir();
    writeTree(root, { 'Holiday/IMG_1.jpg': dup, 'Backup/IMG_1 copy.jpg': dup, 'Backup/other.jpg': uniq, 'Phone/IMG_1.jpg': dup });
    for (const a of ['Holiday', 'Backup', 'Phone'])
        await engine.upload({ paths: [path.join(root, a)] });
    return { dup, uniq, root };
}
describe('chooseKeep', () => {
    const copy = (o) => ({ name: 'x.jpg', size: 1, mediaType: 'image/jpeg', width: null, height: null, takenAt: null, modifiedAt: null, createdAt: 0, albums: [], sourcePath: null, ...o });
    it('keeps the copy in the most albums, then the oldest, then the shortest path, then the lowest id', () => {
        assert.equal(chooseKeep([copy({ fileId: 1, albums: ['A'] }), copy({ fileId: 2, albums: ['A', 'B'] })]).fileId, 2);
        assert.equal(chooseKeep([copy({ fileId: 1, modifiedAt: 50 }), copy({ fileId: 2, modifiedAt: 10 })]).fileId, 2);
        assert.equal(chooseKeep([copy({ fileId: 1, sourcePath: '/p/backup/old/x.jpg' }), copy({ fileId: 2, sourcePath: '/p/x.jpg' })]).fileId, 2);
        assert.equal(chooseKeep([copy({ fileId: 4 }), copy({ fileId: 3 })]).fileId, 3);
    });
});
describe('Deduplicate files (DESIGN §4)', () => {
    it('finds groups across albums and names; same name in two albums is one file, not a duplicate', async () => {
        const { engine } = engineWithClock();
        await duplicatesAcrossAlbums(engine);
        const groups = engine.dedup.listGroups();
        assert.equal(groups.length, 1);
        assert.equal(engine.dedup.countGroups(), 1);
        // Holiday/IMG_1.jpg and Phone/IMG_1.jpg are one file (rule 2); "IMG_1 copy.jpg" is a second file
        assert.deepEqual(groups[0].copies.map((c) => [c.name, c.albums]), [['IMG_1.jpg', ['Holiday', 'Phone']], ['IMG_1 copy.jpg', ['Backup']]]);
        assert.equal(groups[0].keep, groups[0].copies[0].fileId, 'the copy in the most albums');
    });
    it('apply keeps every album\'s content, moves the other copies to Trash, and restore round-trips', async () => {
        const { engine } = engineWithClock();
        await duplicatesAcrossAlbums(engine);
        const [g] = engine.dedup.listGroups();
        const before = albums(engine);
        const [r] = engine.applyDedup([{ hash: g.hash, keep: g.keep, fileIds: g.copies.map((c) => c.fileId) }]);
        assert.equal(r.status, 'applied');
        const kept = `IMG_1.jpg#${g.keep}`;
        assert.deepEqual(albums(engine), { Backup: [kept, before.Backup.find((x) => x.startsWith('other'))].sort(), Holiday: [kept], Phone: [kept] });
        assert.equal(engine.dedup.countGroups(), 0);
        const trashed = engine.trash.list();
        assert.deepEqual(trashed.map((t) => [t.name, t.albums]), [['IMG_1 copy.jpg', ['Backup']]]);
        engine.trash.restore([trashed[0].fileId]);
        assert.ok(albums(engine).Backup.includes(`IMG_1 copy.jpg#${trashed[0].fileId}`));
        assert.deepEqual(verifyLibrary(engine.paths.root).problems, []);
    });
    it('a group that changed since it was listed is skipped whole; --keep outside the group is refused', async () => {
        const { engine } = engineWithClock();
        const { dup, root } = await duplicatesAcrossAlbums(engine);
        const [g] = engine.dedup.listGroups();
        writeTree(root, { 'Later/third copy.jpg': dup });
        await engine.upload({ paths: [path.join(root, 'Later')] });
        const snapshot = albums(engine);
        const [r] = engine.applyDedup([{ hash: g.hash, keep: g.keep, fileIds: g.copies.map((c) => c.fileId) }]);
        assert.equal(r.status, 'skipped');
        assert.match(r.status === 'skipped' ? r.reason : '', /changed since it was listed \(2 copies then, 3 now\)/);
        assert.deepEqual(albums(engine), snapshot);
        const [g2] = engine.dedup.listGroups();
        assert.throws(() => engine.applyDedup([{ hash: g2.hash, keep: 99999, fileIds: g2.copies.map((c) => c.fileId) }]), (e) => e.code === 'INVALID_ARGUMENT');
        assert.deepEqual(albums(engine), snapshot);
    });
    it('purge after 30 days frees exactly the unique bytes; a blob shared with a kept file is never removed', async () => {
        const { engine, clock } = engineWithClock();
        const { dup, uniq } = await duplicatesAcrossAlbums(engine);
        const [g] = engine.dedup.listGroups();
        engine.applyDedup([{ hash: g.hash, keep: g.keep, fileIds: g.copies.map((c) => c.fileId) }]);
        const other = engine.list().find((r) => r.name === 'other.jpg');
        engine.trash.trash([other.fileId], { forgetSources: true, reason: 'test' });
        assert.equal(engine.storage().trash.freedByPurge, uniq.length);
        clock.now += 29 * DAY;
        assert.equal(engine.purgeTrash().files, 0, 'nothing before 30 days');
        clock.now += 2 * DAY;
        const r = engine.purgeTrash();
        assert.equal(r.files, 2);
        assert.equal(r.bytesFreed, uniq.length, 'only the bytes no other file uses');
        assert.equal(fs.existsSync(blobPath(engine.paths.objects, g.hash)), true, 'the duplicate\'s bytes are still the kept file\'s');
        assert.equal(fs.readFileSync(blobPath(engine.paths.objects, g.hash)).length, dup.length);
        assert.equal(engine.trash.list().length, 0);
        assert.throws(() => engine.trash.restore([other.fileId]), /has been purged/);
        assert.deepEqual(verifyLibrary(engine.paths.root).problems, []);
    });
    it('purge with a blob already missing on disk is reported and leaves the catalog consistent', async () => {
        const { engine } = engineWithClock();
        await duplicatesAcrossAlbums(engine);
        const other = engine.list().find((r) => r.name === 'other.jpg');
        engine.trash.trash([other.fileId], { forgetSources: true, reason: 'test' });
        fs.rmSync(blobPath(engine.paths.objects, other.hash));
        const r = engine.purgeTrash({ all: true });
        assert.deepEqual(r.missingBlobs, [other.hash]);
        assert.ok(engine.status().recentErrors.some((e) => e.code === 'BLOB_MISSING'));
        assert.deepEqual(verifyLibrary(engine.paths.root).problems, []);
    });
    it('storage: stored bytes, per album, Trash, and what dedup would tidy', async () => {
        const { engine } = engineWithClock();
        const { dup, uniq } = await duplicatesAcrossAlbums(engine);
        const s = engine.storage();
        assert.equal(s.storedBytes, dup.length + uniq.length);
        assert.equal(s.filesBytes, 2 * dup.length + uniq.length);
        assert.deepEqual(s.duplicates, { groups: 1, extraCopies: 1, extraBytes: dup.length });
        assert.deepEqual(s.albums.find((a) => a.name === 'Backup'), { name: 'Backup', files: 2, bytes: dup.length + uniq.length });
    });
});
//# sourceMappingURL=dedup-service.test.js.map