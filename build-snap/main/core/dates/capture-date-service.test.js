import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { mp4, photo } from '../../../test/support/media-fixtures.js';
import { Engine } from '../engine.js';
import { wallClockOf } from './file-name-date.js';
const iso = (ms) => new Date(ms).toISOString().slice(0, 19);
describe('capture dates', () => {
    let engine;
    const library = path.join(tempDir(), 'lib');
    const mtime = new Date('2020-02-02T12:34:56Z');
    before(async () => {
        const root = tempDir();
        writeTree(root, {
            'Trip/exif.jpg': await photo(400, 300, '2021:07:04 10:30:00'),
            'Trip/IMG_20190402_101010.jpg': await jpeg('named'),
            'Trip/plain.jpg': await jpeg('plain'),
            'Trip/clip.mp4': mp4(1, { createdAt: '2022-05-01T08:00:00Z' }),
            'Trip/exif copy.jpg': await photo(400, 300, '2021:07:04 10:30:00'),
        });
        fs.utimesSync(path.join(root, 'Trip/plain.jpg'), mtime, mtime);
        engine = Engine.open({ libraryDir: library });
        await engine.upload({ paths: [path.join(root, 'Trip')] });
    });
    after(() => engine.close());
    const byName = () => Object.fromEntries(engine.photos.page(0, 100).items.map((i) => [i.name, i]));
    it('every file gets a date with its source: EXIF, QuickTime, file name, else mtime', async () => {
        assert.equal(engine.dates.pending(), 5);
        assert.equal(await engine.dates.backfill(), 5);
        assert.equal(engine.dates.pending(), 0);
        const f = byName();
        assert.deepEqual([iso(f['exif.jpg'].at), f['exif.jpg'].dateSource], ['2021-07-04T10:30:00', 'exif']);
        assert.deepEqual([iso(f['IMG_20190402_101010.jpg'].at), f['IMG_20190402_101010.jpg'].dateSource], ['2019-04-02T10:10:10', 'filename']);
        assert.deepEqual([f['plain.jpg'].at, f['plain.jpg'].dateSource], [wallClockOf(mtime.getTime()), 'mtime']);
        assert.deepEqual([f['clip.mp4'].at, f['clip.mp4'].dateSource], [wallClockOf(Date.parse('2022-05-01T08:00:00Z')), 'quicktime']);
        assert.deepEqual([f['exif.jpg'].width, f['exif.jpg'].height], [400, 300]);
    });
    it('the info panel shows the camera and the date source', () => {
        const id = byName()['exif.jpg'].fileId;
        const info = engine.photos.info(id);
        assert.equal(info.camera, 'Canon EOS R6');
        assert.equal(info.dateSource, 'exif');
        assert.equal(info.sourcePaths.length, 1);
        assert.deepEqual(info.albums.map((a) => a.name), ['Trip']);
    });
    it('the timeline is newest first and its days add up to the total', () => {
        const items = engine.photos.page(0, 100).items;
        const ats = items.map((i) => i.at);
        assert.deepEqual(ats, [...ats].sort((a, b) => b - a));
        const d = engine.photos.days();
        assert.equal(d.total, items.length);
        assert.deepEqual(d.days.map((x) => x.day), [...new Set(items.map((i) => iso(i.at).slice(0, 10)))]);
    });
    it('the back-fill is resumable: it stops after a batch and a new process carries on where the catalog says', async () => {
        const lib2 = path.join(tempDir(), 'lib2');
        const root = tempDir();
        const files = {};
        for (let i = 0; i < 7; i++)
            files[`A/IMG_2018010${i + 1}_120000.jpg`] = await jpeg(`resume-${i}`);
        writeTree(root, files);
        const first = Engine.open({ libraryDir: lib2 });
        await first.upload({ paths: [path.join(root, 'A')] });
        assert.equal(await first.dates.backfill({ max: 3, batch: 2 }), 3);
        assert.equal(first.dates.pending(), 4);
        const before = first.photos.page(0, 100).items.filter((i) => i.dateSource === 'filename').map((i) => [i.fileId, i.at]);
        await first.close();
        const second = Engine.open({ libraryDir: lib2 });
        try {
            assert.equal(await second.dates.backfill(), 4, 'only the files left');
            const all = second.photos.page(0, 100).items;
            assert.ok(all.every((i) => i.dateSource === 'filename'));
            for (const [id, at] of before)
                assert.equal(all.find((i) => i.fileId === id).at, at, 'dated files keep their date');
        }
        finally {
            await second.close();
        }
    });
});
//# sourceMappingURL=capture-date-service.test.js.map