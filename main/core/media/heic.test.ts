import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import { haveHeifEnc, heic } from '../../../test/support/media-fixtures.js';
import { decodeHeic, decodeHeicPixels, heicThumbnail, withHeicPixels } from './heic.js';
import { heifTool } from './heif-tools.js';

const skip = !haveHeifEnc() && 'heif-enc not installed (Debian package libheif-examples; .ci/setup test installs it)';
const WASM_ONLY = { SHOEBOX_HEIF_TOOLS: '0' };

/** The mean colour of a decoded image, rounded. */
async function meanOf(d: Awaited<ReturnType<typeof decodeHeic>>): Promise<number[]> {
  const stats = await d.image.clone().stats();
  return stats.channels.slice(0, 3).map((c) => Math.round(c.mean));
}

describe('HEIC decoding ([Note: Which HEIC decoder])', { skip }, () => {
  it('the system libheif and its WebAssembly build give the same picture at full size, and leave no temp files', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'a.heic');
    fs.writeFileSync(file, await heic(640, 480, '#3366aa'));
    const near = path.join(dir, 'out', 'x.jpg');
    fs.mkdirSync(path.dirname(near));
    const wasm = await decodeHeic(file, near, WASM_ONLY);
    const wasmMeta = await wasm.image.metadata();
    assert.deepEqual([wasmMeta.width, wasmMeta.height], [640, 480]);
    const wasmMean = await meanOf(wasm);
    await wasm.cleanup();
    if (heifTool('heif-convert')) {
      const sys = await decodeHeic(file, near);
      const m = await sys.image.metadata();
      assert.deepEqual([m.width, m.height], [640, 480]);
      const mean = await meanOf(sys);
      for (let c = 0; c < 3; c++) assert.ok(Math.abs(mean[c]! - wasmMean[c]!) <= 3, `channel ${c}: ${mean[c]} vs ${wasmMean[c]}`);
      await sys.cleanup();
    }
    assert.deepEqual(fs.readdirSync(path.dirname(near)), []);
  });

  it('a damaged HEIC is an error from either decoder, not a crash', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'bad.heic');
    const good = await heic(64, 48);
    fs.writeFileSync(file, Buffer.concat([good.subarray(0, 200), Buffer.alloc(200, 7)]));
    await assert.rejects(decodeHeic(file, path.join(dir, 'x'), WASM_ONLY));
    await assert.rejects(decodeHeic(file, path.join(dir, 'x')));
    assert.deepEqual(fs.readdirSync(dir), ['bad.heic']);
  });

  it('a thumbnail stored in the file is used where heif-thumbnailer is installed; without it, none is offered', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'phone.heic');
    fs.writeFileSync(file, await heic(1600, 1200, '#aa3366', 320));
    assert.equal(await heicThumbnail(file, 320, path.join(dir, 'x'), WASM_ONLY), undefined);
    if (!heifTool('heif-thumbnailer')) return;
    const t = await heicThumbnail(file, 320, path.join(dir, 'x'));
    assert.ok(t);
    const m = await t.image.metadata();
    assert.deepEqual([m.width, m.height], [320, 240]);
    await t.cleanup();
    assert.deepEqual(fs.readdirSync(dir), ['phone.heic']);
  });

  it('a HEIC over the pixel limit is refused by its size, before its pixels are decoded', async () => {
    const buffer = await heic(640, 480);
    await assert.rejects(decodeHeicPixels(buffer, { maxPixels: 640 * 480 - 1 }), /640×480 is too large to decode/);
    const d = await decodeHeicPixels(buffer, { maxPixels: 640 * 480 });
    assert.deepEqual([d.width, d.height, d.channels, d.data.length], [640, 480, 3, 640 * 480 * 3]);
  });

  it('HEIC pixels are handed out one image at a time in a thread, a failure not blocking the next', async () => {
    const buffer = await heic(64, 48);
    let inUse = 0;
    let most = 0;
    const use = async () => {
      most = Math.max(most, ++inUse);
      await new Promise((r) => setTimeout(r, 20));
      inUse--;
      return 'done';
    };
    const broken = assert.rejects(withHeicPixels(buffer.subarray(0, 40), use), /not a readable HEIF image/);
    const all = await Promise.all([withHeicPixels(buffer, use), withHeicPixels(buffer, use), withHeicPixels(buffer, use)]);
    await broken;
    assert.deepEqual(all, ['done', 'done', 'done']);
    assert.equal(most, 1);
  });

  it('a HEIC someone waits on (urgent) is decoded before those queued for the model', async () => {
    const buffer = await heic(64, 48);
    const order: string[] = [];
    const use = (name: string) => async () => {
      order.push(name);
      await new Promise((r) => setTimeout(r, 5));
    };
    await withHeicPixels(buffer, () => Promise.resolve()); // the decoder is free: model 1 takes it at once
    await Promise.all([
      withHeicPixels(buffer, use('model 1')),
      withHeicPixels(buffer, use('model 2')),
      withHeicPixels(buffer, use('model 3')),
      withHeicPixels(buffer, use('view'), { urgent: true }),
    ]);
    assert.deepEqual(order, ['model 1', 'view', 'model 2', 'model 3']);
  });
});
