import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { filesUnder } from '../../../test/support/verify-library.js';
import { movHeader } from '../../../test/support/media-fixtures.js';
import { writeZip } from '../../../test/support/zip-writer.js';
import { blobPath } from '../blobs/blob-store.js';
import { Engine } from '../engine.js';

/** Album name → sorted file names, from the engine's listing. */
function albumsOf(engine: Engine): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of engine.list()) (out[r.album] ??= []).push(r.name);
  for (const k of Object.keys(out)) out[k]!.sort();
  return out;
}

function objectCount(engine: Engine): number {
  return fs.readdirSync(engine.paths.objects).reduce((n, d) => n + fs.readdirSync(path.join(engine.paths.objects, d)).length, 0);
}

describe('upload (DESIGN §2 manual upload, §3 dedup rules)', () => {
  let src: string;
  let engine: Engine;
  before(async () => {
    src = path.join(tempDir(), 'Photos');
    writeTree(src, {
      'root.jpg': await jpeg('root'),
      '2024/Summer/beach.jpg': await jpeg('beach'),
      'Backup/Summer/boat.jpg': await jpeg('boat'),
      'Backup/Summer/beach.jpg': await jpeg('beach'), // same name and bytes as 2024/Summer/beach.jpg
      'Empty/Inner/.keep': 'x',
      'notes.txt': 'not a photo',
    });
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), retryDelayMs: 1 });
  });
  after(() => engine.close());

  it('separate mode: leaf folder names, shared leaves share an album, container-only folders make none', async () => {
    const s = await engine.upload({ paths: [src], mode: 'separate' });
    assert.equal(s.stored, 3);
    assert.equal(s.skipped, 1, 'the second beach.jpg (same name, same hash, same album) is skipped');
    assert.equal(s.ignored, 1);
    assert.deepEqual(albumsOf(engine), { Photos: ['root.jpg'], Summer: ['beach.jpg', 'boat.jpg'] });
  });

  it('uploading the same tree twice adds 0 files and 0 bytes', async () => {
    const objects = objectCount(engine);
    const s = await engine.upload({ paths: [src], mode: 'separate' });
    assert.equal(s.stored + s.created + s.linked, 0);
    assert.equal(s.bytesAdded, 0);
    assert.equal(s.skipped, 4);
    assert.equal(objectCount(engine), objects);
  });

  it('the same tree into another album adds memberships only', async () => {
    const files = engine.status().files;
    const objects = objectCount(engine);
    const s = await engine.upload({ paths: [src], mode: 'single', album: 'Everything' });
    assert.equal(s.linked, 3);
    assert.equal(s.stored + s.created, 0);
    assert.equal(engine.status().files, files);
    assert.equal(objectCount(engine), objects);
    assert.deepEqual(albumsOf(engine).Everything, ['beach.jpg', 'boat.jpg', 'root.jpg']);
  });

  it('a renamed copy becomes a new library file whose bytes are stored once', async () => {
    const dir = path.join(tempDir(), 'Renamed');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(src, 'root.jpg'), path.join(dir, 'root-copy.jpg'));
    const objects = objectCount(engine);
    const s = await engine.upload({ paths: [dir] });
    assert.equal(s.created, 1);
    assert.equal(s.bytesAdded, 0);
    assert.equal(objectCount(engine), objects);
    const rows = engine.list().filter((r) => r.name === 'root.jpg' || r.name === 'root-copy.jpg');
    assert.equal(new Set(rows.map((r) => r.hash)).size, 1);
    assert.equal(new Set(rows.map((r) => r.fileId)).size, 2);
  });

  it('a loose file goes to Uncategorized and leaves it when uploaded into an album', async () => {
    const dir = tempDir();
    const loose = path.join(dir, 'loose.jpg');
    fs.writeFileSync(loose, await jpeg('loose'));
    await engine.upload({ paths: [loose] });
    assert.deepEqual(albumsOf(engine).Uncategorized, ['loose.jpg']);
    await engine.upload({ paths: [loose], album: 'Keepers' });
    assert.equal(albumsOf(engine).Uncategorized, undefined);
    assert.deepEqual(albumsOf(engine).Keepers, ['loose.jpg']);
  });

  it('new bytes that only needed copying are not reported as restored, even when another copy of them committed first', async () => {
    // Two copies of new bytes whose size is stored already: both are only hashed, both are then
    // asked for their bytes; the first commits them as new, and the second must not then be
    // told its bytes "were missing" (two uploads side by side did that: issue #18's adversarial pass).
    const dir = path.join(tempDir(), 'SameSize');
    const stored = await jpeg('same-size');
    const fresh = Buffer.from(stored);
    fresh[fresh.length - 3] = fresh[fresh.length - 3]! ^ 0xff; // other bytes, same size, still a JPEG
    writeTree(dir, { 'stored.jpg': stored });
    await engine.upload({ paths: [dir] });
    const files: Record<string, Buffer> = { 'a1.jpg': fresh, 'a2.jpg': fresh };
    for (let i = 0; i < 14; i++) files[`z${i}.jpg`] = await jpeg(`same-size-other-${i}`);
    writeTree(dir, files); // 17 files: a1 and a2 cross to a worker in the same batch
    const s = await engine.upload({ paths: [dir] });
    assert.equal(s.failed, 0);
    assert.equal(s.stored, 15, 'a1 and the 14 others are new bytes');
    assert.equal(s.restored, 0, 'nothing was missing');
    assert.ok(!engine.status().recentActivity.some((e) => e.code === 'BYTES_RESTORED'), 'no BYTES_RESTORED in the activity log');
  });

  it('every catalog row points to a blob whose bytes hash to it', () => {
    for (const r of engine.list()) {
      const bytes = fs.readFileSync(blobPath(engine.paths.objects, r.hash));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), r.hash);
      assert.equal(bytes.length, r.size);
    }
  });
});

describe('upload of live photos', () => {
  it('an image and a video of its stem are one item, as in a watched folder; its XMP joins the image; in a ZIP too', async () => {
    const dir = path.join(tempDir(), 'Phone');
    const image = await jpeg('live-up');
    const video = movHeader(5000, 3);
    writeTree(dir, { 'IMG_7.jpg': image, 'IMG_7.MOV': video, 'IMG_7.xmp': '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', 'clip.mov': movHeader(4000, 4) });
    const zipPath = path.join(tempDir(), 'Live.zip');
    writeZip(zipPath, [{ name: 'IMG_8.jpg', data: await jpeg('live-zip') }, { name: 'IMG_8.MOV', data: movHeader(4500, 5) }]);
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), retryDelayMs: 1 });
    try {
      const s = await engine.upload({ paths: [dir] });
      assert.equal(s.import?.livePhotos, 1);
      const rows = engine.list();
      assert.deepEqual(rows.map((r) => [r.name, (r.parts ?? []).map((p) => [p.role, p.name])]).sort(), [['IMG_7.jpg', [['live', 'IMG_7.MOV'], ['xmp', 'IMG_7.xmp']]], ['clip.mov', []]]);
      await engine.upload({ paths: [zipPath] });
      assert.deepEqual(engine.list('Live').map((r) => [r.name, (r.parts ?? []).map((p) => p.role)]), [['IMG_8.jpg', ['live']]]);
    } finally {
      await engine.close();
    }
  });
});

describe('upload of ZIP archives', () => {
  it('keeps folder structure, skips unsafe entries and reports them', async () => {
    const dir = tempDir();
    const zipPath = path.join(dir, 'Trip.zip');
    writeZip(zipPath, [
      { name: 'Day1/a.jpg', data: await jpeg('z1') },
      { name: 'Day2/b.jpg', data: await jpeg('z2'), method: 'deflate' },
      { name: 'top.jpg', data: await jpeg('z3') },
      // `.` and empty segments name the same paths (some archivers write them): not hidden names
      { name: './dot.jpg', data: await jpeg('z4') },
      { name: 'Day1/./mid.jpg', data: await jpeg('z5') },
      { name: 'Day2//dbl.jpg', data: await jpeg('z6') },
      { name: '__MACOSX/Day1/._a.jpg', data: Buffer.from('junk') },
      { name: '../evil.jpg', data: await jpeg('evil') },
    ]);
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), retryDelayMs: 1 });
    try {
      const s = await engine.upload({ paths: [zipPath] });
      assert.equal(s.stored, 6);
      assert.equal(s.failed, 1);
      assert.equal(s.filesTotal, 7, 'the refused entry is one of the files: the counts add up (helper-48 saw "1 file: 1 new, 1 failed")');
      assert.match(s.failures[0]!.message, /unsafe name/);
      assert.deepEqual(albumsOf(engine), { Day1: ['a.jpg', 'mid.jpg'], Day2: ['b.jpg', 'dbl.jpg'], Trip: ['dot.jpg', 'top.jpg'] });
      assert.equal(fs.existsSync(path.join(dir, '..', 'evil.jpg')), false);
      assert.deepEqual(filesUnder(engine.paths.tmp), [], 'no extracted entry is left');
    } finally {
      await engine.close();
    }
  });

  it('an entry is known by its own name, as a file in a folder is: an empty .jpg is refused with FILE_EMPTY, not ignored as no photo', async () => {
    const dir = tempDir();
    const zipPath = path.join(dir, 'Trip.zip');
    writeZip(zipPath, [{ name: 'a.jpg', data: await jpeg('z-a') }, { name: 'empty.jpg', data: Buffer.alloc(0) }]);
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), retryDelayMs: 1 });
    try {
      const s = await engine.upload({ paths: [zipPath] });
      assert.deepEqual([s.stored, s.failed, s.ignored], [1, 1, 0]);
      assert.equal(s.failures[0]!.code, 'FILE_EMPTY');
      assert.match(s.failures[0]!.message, /empty\.jpg is empty \(0 bytes\)/);
    } finally {
      await engine.close();
    }
  });
});
