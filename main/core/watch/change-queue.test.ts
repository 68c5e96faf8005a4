import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import sharp from 'sharp';
import { ChangeQueue, INCOMPLETE_HOLD_MS, PART_HOLD_MS, stillBeingWritten } from './change-queue.js';

/** A queue on a clock the test moves, over real files (the queue stats them). */
function queueAt(dir: string) {
  let t = 0;
  const q = new ChangeQueue({ settleMs: 100, deleteDelayMs: 500 }, () => t);
  const write = (name: string, bytes: string) => {
    fs.writeFileSync(path.join(dir, name), bytes);
    q.noteUpsert(path.join(dir, name));
  };
  const take = async (ms: number) => {
    t += ms;
    const { upserts } = await q.takeReady();
    return upserts.map((u) => path.basename(u.path)).sort();
  };
  return { q, write, take };
}

describe('change queue: parts wait for their item', () => {
  it('a settled RAW waits while its JPEG is still being written, then both come in one batch', async () => {
    const { write, take } = queueAt(tempDir());
    write('IMG_1.CR2', 'raw');
    write('IMG_1.JPG', 'jp');
    assert.deepEqual(await take(0), [], 'first look');
    write('IMG_1.JPG', 'jpe');
    assert.deepEqual(await take(150), [], 'the RAW has settled; its JPEG is still growing, so it waits');
    write('IMG_1.JPG', 'jpeg');
    assert.deepEqual(await take(150), [], 'the JPEG changed again');
    assert.deepEqual(await take(150), ['IMG_1.CR2', 'IMG_1.JPG'], 'the JPEG has settled: both at once');
  });

  it('an XMP and a live photo video wait too; a main file and an unrelated part do not', async () => {
    const { write, take } = queueAt(tempDir());
    write('IMG_2.JPG.xmp', 'x');
    write('IMG_2.MOV', 'v');
    write('OTHER.CR2', 'r');
    write('IMG_3.JPG', 'j');
    write('IMG_3.CR2', 'r');
    write('IMG_2.JPG', 'j');
    await take(0);
    write('IMG_2.JPG', 'jj');
    write('IMG_3.CR2', 'rr');
    assert.deepEqual(await take(150), ['IMG_3.JPG', 'OTHER.CR2'], 'a JPEG never waits for its RAW (it commits first anyway)');
    assert.deepEqual(await take(150), ['IMG_2.JPG', 'IMG_2.JPG.xmp', 'IMG_2.MOV', 'IMG_3.CR2']);
  });

  it(`a part waits at most ${PART_HOLD_MS / 1000} s for a file that keeps changing`, async () => {
    const { write, take } = queueAt(tempDir());
    write('IMG_4.CR2', 'raw');
    write('IMG_4.JPG', 'j');
    await take(0);
    let taken: string[] = [];
    let waited = 0;
    for (let i = 0; taken.length === 0; i++) {
      write('IMG_4.JPG', 'j'.repeat(i + 2)); // never settles
      taken = await take(150);
      waited += 150;
      assert.ok(waited <= PART_HOLD_MS + 300, 'held too long');
    }
    assert.deepEqual(taken, ['IMG_4.CR2']);
    assert.ok(waited >= PART_HOLD_MS, `released after ${waited} ms`);
  });
});

describe('change queue: a file cut off by a stalled copy', () => {
  it('waits, though its size has settled, until the rest arrives; then comes in once, whole', async () => {
    const dir = tempDir();
    const whole = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#468' } }).jpeg().toBuffer();
    let t = 0;
    const q = new ChangeQueue({ settleMs: 100, deleteDelayMs: 500 }, () => t);
    const f = path.join(dir, 'stall.jpg');
    const take = async (ms: number) => {
      t += ms;
      return (await q.takeReady()).upserts.map((u) => u.size);
    };
    fs.writeFileSync(f, whole.subarray(0, whole.length >> 1));
    q.noteUpsert(f);
    assert.deepEqual(await take(0), [], 'first look');
    assert.deepEqual(await take(150), [], 'settled by size, but cut off: it waits');
    assert.deepEqual(await take(5000), [], 'still waiting');
    assert.equal(q.size, 1, 'still pending, not dropped');
    assert.equal(q.cutOff(), 1, 'and said to look cut off (the window shows why it waits)');
    fs.appendFileSync(f, whole.subarray(whole.length >> 1));
    q.noteUpsert(f);
    assert.deepEqual(await take(50), [], 'just written');
    assert.deepEqual(await take(150), [], 'first look at the new size');
    assert.deepEqual(await take(150), [whole.length], 'whole: backed up once');
    assert.equal(q.cutOff(), 0);
  });

  it('a photo that really is cut off (damaged) is backed up as it is after INCOMPLETE_HOLD_MS', async () => {
    const dir = tempDir();
    const whole = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#864' } }).jpeg().toBuffer();
    let t = 0;
    const q = new ChangeQueue({ settleMs: 100, deleteDelayMs: 500 }, () => t);
    const f = path.join(dir, 'damaged.jpg');
    fs.writeFileSync(f, whole.subarray(0, 300));
    q.noteUpsert(f);
    const taken: number[] = [];
    for (let waited = 0; waited <= INCOMPLETE_HOLD_MS + 20_000 && taken.length === 0; waited += 500) {
      t += 500;
      taken.push(...(await q.takeReady()).upserts.map((u) => u.size));
      if (taken.length === 0) assert.ok(waited < INCOMPLETE_HOLD_MS + 10_000, 'released within the hold and one more look');
    }
    assert.deepEqual(taken, [300]);
    assert.ok(t >= INCOMPLETE_HOLD_MS, `not before the hold ran out (${t} ms)`);
  });
});

describe('change queue: what a start-up scan holds back', () => {
  it('a recently modified file cut off by its format is held; a whole one, an old one, or one whose format cannot tell is not', async () => {
    const dir = tempDir();
    const whole = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#345' } }).jpeg().toBuffer();
    const files = { 'cut.jpg': whole.subarray(0, whole.length >> 1), 'whole.jpg': whole, 'old-cut.jpg': whole.subarray(0, whole.length >> 1), 'raw.cr2': Buffer.from('II*\0raw') };
    const stats = Object.entries(files).map(([name, bytes]) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, bytes);
      return { path: p, size: bytes.length, mtimeMs: name.startsWith('old') ? Date.now() - 60_000 : Date.now(), ino: 0 };
    });
    const held = await stillBeingWritten(stats, { settleMs: 100, deleteDelayMs: 500 });
    assert.deepEqual([...held].map((p) => path.basename(p)), ['cut.jpg']);
  });
});
