import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { classifyMedia, isIgnoredName, isMediaType } from './media-type.js';
describe('classifyMedia', () => {
    it('recognises a PNG by content even with a wrong extension', async () => {
        const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
        assert.deepEqual(await classifyMedia(png, 'holiday.dat'), { kind: 'media', mediaType: 'image/png', by: 'content' });
    });
    it('ignores a PDF named .jpg (content wins when it is recognised)', async () => {
        const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
        const v = await classifyMedia(pdf, 'photo.jpg');
        assert.equal(v.kind, 'other');
    });
    it('keeps an unrecognisable file with a photo extension (a damaged photo), marked as by extension', async () => {
        assert.deepEqual(await classifyMedia(Buffer.from('garbage bytes'), 'IMG_0001.JPG'), { kind: 'media', mediaType: 'image/jpeg', by: 'extension' });
    });
    it('ignores unrecognisable files without a media extension', async () => {
        assert.deepEqual(await classifyMedia(Buffer.from('hello'), 'notes.txt'), { kind: 'other', mediaType: null });
    });
    it('recognises a QuickTime movie header as video', async () => {
        const mov = Buffer.alloc(64);
        mov.writeUInt32BE(20, 0);
        mov.write('ftypqt  ', 4, 'latin1');
        const v = await classifyMedia(mov, 'clip');
        assert.equal(v.kind, 'media');
        assert.equal(v.kind === 'media' && v.mediaType, 'video/quicktime');
    });
});
describe('isIgnoredName / isMediaType', () => {
    it('ignores hidden and OS housekeeping files', () => {
        for (const n of ['.DS_Store', '._IMG_1.jpg', 'Thumbs.db', 'desktop.ini', '.hidden'])
            assert.equal(isIgnoredName(n), true, n);
        assert.equal(isIgnoredName('IMG_1.jpg'), false);
    });
    it('accepts image/* and video/* but not CAD drawings', () => {
        assert.equal(isMediaType('image/x-canon-cr2'), true);
        assert.equal(isMediaType('video/mp4'), true);
        assert.equal(isMediaType('image/vnd.dwg'), false);
        assert.equal(isMediaType('application/pdf'), false);
    });
});
//# sourceMappingURL=media-type.test.js.map