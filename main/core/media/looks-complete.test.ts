import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { jpeg, tempDir, withComment } from '../../../test/support/fixtures.js';
import { haveHeifEnc, heic } from '../../../test/support/media-fixtures.js';
import { looksComplete } from './looks-complete.js';

const dir = tempDir();
let n = 0;
/** Writes bytes to a file of their own and asks. */
async function ask(bytes: Buffer): Promise<boolean | undefined> {
  const f = path.join(dir, `f${n++}`);
  fs.writeFileSync(f, bytes);
  return looksComplete(f, bytes.length);
}

const image = () => sharp({ create: { width: 320, height: 240, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });

describe('looksComplete: a file cut off by a stalled copy is told from a whole one', () => {
  it('JPEG: whole, cut anywhere (in the headers, in the image data, right after an end marker inside a header), and with data after the image', async () => {
    const whole = await image().jpeg().toBuffer();
    assert.equal(await ask(whole), true);
    for (const at of [3, 20, Math.floor(whole.length / 2), whole.length - 1]) assert.equal(await ask(whole.subarray(0, at)), false, `cut at ${at} of ${whole.length}`);
    // An end-of-image marker inside a header segment (an EXIF thumbnail's) is not the image's end.
    const commented = withComment(whole, Buffer.from([0xff, 0xd9, 0xff, 0xd9]));
    const afterComment = commented.indexOf(Buffer.from([0xff, 0xd9])) + 4;
    assert.equal(await ask(commented.subarray(0, afterComment)), false, 'cut right after the marker in the header');
    assert.equal(await ask(commented), true);
    // A motion photo: a video after the image's end.
    assert.equal(await ask(Buffer.concat([whole, Buffer.from('\0\0\0\x18ftypmp42'), Buffer.alloc(5000, 7)])), true);
    assert.equal(await ask(await jpeg('tiny')), true, 'a tiny JPEG');
  });

  it('PNG, GIF and WebP: whole, and cut', async () => {
    for (const [kind, whole] of [['png', await image().png().toBuffer()], ['gif', await image().gif().toBuffer()], ['webp', await image().webp().toBuffer()]] as const) {
      assert.equal(await ask(whole), true, kind);
      assert.equal(await ask(whole.subarray(0, Math.floor(whole.length * 0.6))), false, `${kind} cut`);
    }
  });

  it('HEIC (ISO boxes): whole, and cut', { skip: !haveHeifEnc() && 'heif-enc not installed (Debian package libheif-examples)' }, async () => {
    const whole = await heic(320, 240);
    assert.equal(await ask(whole), true);
    assert.equal(await ask(whole.subarray(0, Math.floor(whole.length * 0.7))), false);
    assert.equal(await ask(whole.subarray(0, 30)), false, 'cut inside the first boxes');
  });

  it('formats it cannot judge (RAW, TIFF, text) are not called cut off', async () => {
    assert.equal(await ask(Buffer.from('II*\0' + 'x'.repeat(100))), undefined);
    assert.equal(await ask(Buffer.from('not an image at all, just some text')), undefined);
  });
});
