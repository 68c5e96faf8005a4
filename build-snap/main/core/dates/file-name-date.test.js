import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateFromFileName } from './file-name-date.js';
const iso = (ms) => (ms === null ? null : new Date(ms).toISOString().slice(0, 19));
describe('dates in file names', () => {
    it('reads the camera and phone patterns with their time', () => {
        assert.equal(iso(dateFromFileName('IMG_20240803_140501.jpg')), '2024-08-03T14:05:01');
        assert.equal(iso(dateFromFileName('PXL_20240803_140501123.jpg')), '2024-08-03T14:05:01');
        assert.equal(iso(dateFromFileName('20231231_235959.mp4')), '2023-12-31T23:59:59');
        assert.equal(iso(dateFromFileName('2024-08-03 14.05.01.jpg')), '2024-08-03T14:05:01');
        assert.equal(iso(dateFromFileName('Screenshot_2024-08-03-14-05-01.png')), '2024-08-03T14:05:01');
        assert.equal(iso(dateFromFileName('VID_20220105_080910.mp4')), '2022-01-05T08:09:10');
    });
    it('a date without a time is read as noon that day', () => {
        assert.equal(iso(dateFromFileName('IMG-20240803-WA0001.jpg')), '2024-08-03T12:00:00');
        assert.equal(iso(dateFromFileName('holiday 2019-06-30.jpg')), '2019-06-30T12:00:00');
    });
    it('names without a plausible date give none', () => {
        for (const n of ['IMG_0001.jpg', 'DSC01234.JPG', 'beach.jpg', '12345678.jpg', 'IMG_20241301_120000.jpg', 'IMG_20240231_120000.jpg', 'scan_18990101.jpg', 'IMG_20240803_256199.jpg']) {
            const d = dateFromFileName(n);
            assert.ok(d === null || iso(d).endsWith('12:00:00'), `${n} → ${iso(d)}`);
        }
        assert.equal(dateFromFileName('IMG_20241301_120000.jpg'), null);
        assert.equal(dateFromFileName('IMG_20240231_120000.jpg'), null);
        assert.equal(dateFromFileName('beach.jpg'), null);
        assert.equal(dateFromFileName('scan_18990101.jpg'), null);
    });
});
//# sourceMappingURL=file-name-date.test.js.map