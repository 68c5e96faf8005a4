import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { itemSlices, type FileStat } from './watch-sync.js';
import { itemKey } from './watched-items.js';

const file = (p: string): FileStat => ({ path: p, size: 1, mtimeMs: 0, ino: 0 });

/** Files of a few folders whose names share stems: photos with their RAW, XMP and live video. */
const files = fc
  .uniqueArray(
    fc.tuple(fc.constantFrom('/w', '/w/a', '/w/a/b', '/w/c'), fc.integer({ min: 0, max: 40 }), fc.constantFrom('.jpg', '.JPG', '.dng', '.CR3', '.jpg.xmp', '.xmp', '.mov', '.heic')),
    { selector: ([d, n, e]) => `${d}/IMG_${n}${e}`, maxLength: 300 },
  )
  .map((ts) => ts.map(([d, n, e]) => file(path.join(d, `${n % 2 ? 'img' : 'IMG'}_${n}${e}`))));

describe('a reconcile is applied in slices of whole items', () => {
  it('every file lands in exactly one slice, and the files of one item in the same slice', () => {
    fc.assert(
      fc.property(files, fc.integer({ min: 1, max: 50 }), (fs, size) => {
        const slices = itemSlices(fs, size);
        assert.deepEqual(slices.flat().map((f) => f.path).sort(), fs.map((f) => f.path).sort());
        const sliceOf = new Map<string, number>();
        for (const [i, slice] of slices.entries()) {
          for (const f of slice) {
            const key = itemKey(f.path);
            assert.equal(sliceOf.get(key) ?? i, i, `${f.path} is in another slice than the rest of its item`);
            sliceOf.set(key, i);
          }
        }
      }),
    );
  });

  it('a slice holds about the size asked: more only to keep an item whole', () => {
    fc.assert(
      fc.property(files, fc.integer({ min: 1, max: 50 }), (fs, size) => {
        const slices = itemSlices(fs, size);
        for (const slice of slices) {
          const lastItem = slice.filter((f) => itemKey(f.path) === itemKey(slice.at(-1)!.path)).length;
          assert.ok(slice.length < size + lastItem, `a slice of ${slice.length} for size ${size}`);
        }
        if (fs.length > 0) assert.ok(slices.every((s) => s.length > 0), 'no empty slice');
      }),
    );
  });

  it('a batch that fits is one slice, in its own order', () => {
    const fs = ['/w/b.jpg', '/w/a.jpg', '/w/a.dng'].map(file);
    assert.deepEqual(itemSlices(fs, 3), [fs]);
    assert.deepEqual(itemSlices([], 3), [[]]);
  });
});
