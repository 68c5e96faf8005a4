// Decoding and the model in one thread (issue #17): the pipeline keeps each result at its
// file's place whatever order decodes finish in, a file that can't be read is a result, not a
// failure of the batch, and a model that can't be loaded fails the batch with its reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { tempDir } from '../../../test/support/fixtures.js';
import { embedFiles } from './infer.js';
import { DEFAULT_MODEL } from './model-path.js';

/** A small JPEG that looks different for each seed (a colour and a disc somewhere on it). */
function picture(seed: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120"><circle cx="${20 + 30 * seed}" cy="${30 + 15 * seed}" r="28" fill="#fff"/></svg>`;
  return sharp({ create: { width: 160, height: 120, channels: 3, background: { r: (50 * seed) % 256, g: 200 - 35 * seed, b: 90 } } }).composite([{ input: Buffer.from(svg) }]).jpeg().toBuffer();
}

describe('embedding images in the model thread', () => {
  it('keeps each result at its place, reports an unreadable file as data, and gives the same vectors with one decode at a time or three', async () => {
    const dir = tempDir();
    const files = await Promise.all([1, 2, 3, 4].map(async (s) => {
      const f = path.join(dir, `${s}.jpg`);
      fs.writeFileSync(f, await picture(s));
      return f;
    }));
    fs.writeFileSync(path.join(dir, 'broken.jpg'), Buffer.from('not a jpeg at all'));
    const items = [files[0]!, path.join(dir, 'broken.jpg'), files[1]!, files[2]!, files[0]!, files[3]!].map((p) => ({ path: p, mediaType: 'image/jpeg' }));
    const one = await embedFiles({ modelPath: DEFAULT_MODEL, items, lanes: 1 });
    const three = await embedFiles({ modelPath: DEFAULT_MODEL, items, lanes: 3 });
    assert.equal(one.length, items.length);
    assert.equal(one[1]!.ok, false);
    assert.equal(three[1]!.ok, false);
    const vec = (r: (typeof one)[number]) => (r.ok ? Array.from(r.vector) : null);
    for (let i = 0; i < items.length; i++) assert.deepEqual(vec(three[i]!), vec(one[i]!), `result ${i}`);
    assert.deepEqual(vec(one[4]!), vec(one[0]!)); // the same file twice: the same vector, at both places
    assert.notDeepEqual(vec(one[2]!), vec(one[0]!));
  });

  it('fails the whole batch with the reason when the model cannot be loaded', async () => {
    const dir = tempDir();
    const f = path.join(dir, 'a.jpg');
    fs.writeFileSync(f, await picture(1));
    await assert.rejects(embedFiles({ modelPath: path.join(dir, 'missing.onnx'), items: [f, f, f].map((p) => ({ path: p, mediaType: 'image/jpeg' })) }), /missing\.onnx/);
  });
});
