import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAW_PAIR_WINDOW_MS, groupItemParts } from './item-grouping.js';

const T = 1_700_000_000_000;
const at = (path: string, dt = 0) => ({ path, mtimeMs: T + dt });

describe('RAW+JPEG pairs and XMP sidecars', () => {
  it('a RAW and a JPEG or HEIC with the same stem in one folder, written within seconds, are one item with the JPEG/HEIC as its main file', () => {
    const g = groupItemParts([at('a/IMG_0001.CR2'), at('a/IMG_0001.JPG', 2000), at('a/DSC_7.nef'), at('a/dsc_7.heic', -500), at('a/P1.RW2'), at('a/P1.jpeg')]);
    assert.deepEqual([...g.parts], [
      ['a/IMG_0001.CR2', { of: 'a/IMG_0001.JPG', role: 'raw' }],
      ['a/DSC_7.nef', { of: 'a/dsc_7.heic', role: 'raw' }],
      ['a/P1.RW2', { of: 'a/P1.jpeg', role: 'raw' }],
    ]);
  });

  it('not paired: other folders, too far apart in time, two RAWs or two JPEGs of one stem, a PNG', () => {
    const g = groupItemParts([
      at('a/IMG_1.CR2'), at('b/IMG_1.JPG'),
      at('a/IMG_2.CR2'), at('a/IMG_2.JPG', RAW_PAIR_WINDOW_MS + 1),
      at('a/IMG_3.CR2'), at('a/IMG_3.DNG'), at('a/IMG_3.JPG'),
      at('a/IMG_4.NEF'), at('a/IMG_4.JPG'), at('a/IMG_4.jpeg'),
      at('a/IMG_5.DNG'), at('a/IMG_5.png'),
    ]);
    assert.deepEqual([...g.parts], []);
  });

  it('an XMP sidecar joins the item of the file it names, by full name or by stem', () => {
    const g = groupItemParts([at('a/IMG_1.CR2'), at('a/IMG_1.JPG'), at('a/IMG_1.CR2.xmp'), at('a/IMG_1.xmp'), at('a/b.jpg'), at('a/b.jpg.XMP'), at('a/c.mp4'), at('a/c.xmp')]);
    assert.deepEqual(Object.fromEntries(g.parts), {
      'a/IMG_1.CR2': { of: 'a/IMG_1.JPG', role: 'raw' },
      'a/IMG_1.CR2.xmp': { of: 'a/IMG_1.JPG', role: 'xmp' },
      'a/IMG_1.xmp': { of: 'a/IMG_1.JPG', role: 'xmp' },
      'a/b.jpg.XMP': { of: 'a/b.jpg', role: 'xmp' },
      'a/c.xmp': { of: 'a/c.mp4', role: 'xmp' },
    });
    assert.deepEqual(g.unmatchedXmp, []);
    // a live photo's two halves are one item: its sidecar is the image's
    const live = groupItemParts([at('l/IMG_2.HEIC'), at('l/IMG_2.MOV'), at('l/IMG_2.xmp')]);
    assert.deepEqual(Object.fromEntries(live.parts), { 'l/IMG_2.xmp': { of: 'l/IMG_2.HEIC', role: 'xmp' } });
  });

  it('an XMP sidecar without its photo, or beside two items of its stem, is reported, not guessed', () => {
    const g = groupItemParts([at('a/gone.xmp'), at('a/x.jpg'), at('a/x.png'), at('a/x.xmp'), at('b/x.jpg.xmp')]);
    assert.deepEqual([...g.parts], []);
    assert.deepEqual(g.unmatchedXmp, ['a/gone.xmp', 'a/x.xmp', 'b/x.jpg.xmp']);
  });
});
