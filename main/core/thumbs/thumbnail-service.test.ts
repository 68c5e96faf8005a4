import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { corruptMp4, haveHeifEnc, heic, jpegWithExif, mp4 } from '../../../test/support/media-fixtures.js';
import { Engine } from '../engine.js';

describe('thumbnails', () => {
  let engine: Engine;
  let ids: Record<string, number>;
  before(async () => {
    const root = path.join(tempDir(), 'Media');
    const files: Record<string, Buffer> = {
      'portrait.jpg': await jpegWithExif(400, 300, '2021:07:04 10:30:00'),
      'clip.mp4': mp4(2, { size: '640x480' }),
      'corrupt.mp4': corruptMp4(), // not broken.mp4: beside broken.jpg that would be a live photo
      'broken.jpg': (await jpeg('broken', 20_000)).subarray(0, 200),
    };
    if (haveHeifEnc()) files['phone.heic'] = await heic(64, 48);
    writeTree(root, files);
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    await engine.upload({ paths: [root] });
    ids = Object.fromEntries(engine.list().map((r) => [r.name, r.fileId]));
  });
  after(() => engine.close());

  it('a JPEG gets a small WebP preview, oriented, with the original\'s dimensions and EXIF date recorded', async () => {
    const t = await engine.thumbnail(ids['portrait.jpg']!);
    assert.equal(t.kind, 'image');
    if (t.kind !== 'image') return;
    const meta = await sharp(t.path).metadata();
    assert.equal(meta.format, 'webp');
    assert.deepEqual([meta.width, meta.height], [240, 320], 'orientation 6 turns 400×300 upright');
    assert.deepEqual([t.width, t.height], [300, 400]);
    assert.ok(t.path.startsWith(path.join(engine.paths.root, 'thumbnails')));
    assert.ok(fs.statSync(t.path).size < 20_000);
  });

  it('the capture date from EXIF is kept on the file', async () => {
    await engine.dates.backfill();
    const facts = engine.fileFacts(ids['portrait.jpg']!);
    assert.equal(new Date(facts.takenAt!).toISOString(), '2021-07-04T10:30:00.000Z');
    assert.deepEqual([facts.width, facts.height], [300, 400]);
  });

  it('a video\'s preview is a real frame ~1 s in; a corrupt video and an undecodable file get a placeholder and the queue goes on', async () => {
    const [corrupt, video, broken] = await Promise.all([engine.thumbnail(ids['corrupt.mp4']!), engine.thumbnail(ids['clip.mp4']!), engine.thumbnail(ids['broken.jpg']!)]);
    assert.deepEqual(corrupt, { kind: 'placeholder', reason: 'undecodable' });
    assert.equal(video.kind, 'image');
    if (video.kind === 'image') {
      const meta = await sharp(video.path).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 320, 240]);
      const { channels } = await sharp(video.path).stats();
      assert.ok(channels.some((c) => c.stdev > 20), 'a picture, not a flat placeholder');
    }
    assert.deepEqual(broken, { kind: 'placeholder', reason: 'undecodable' });
    assert.deepEqual(await engine.thumbnail(ids['broken.jpg']!), { kind: 'placeholder', reason: 'undecodable' }, 'remembered, not retried');
    assert.equal((await engine.thumbnail(ids['portrait.jpg']!)).kind, 'image');
  });

  it('HEIC gets a thumbnail though sharp\'s prebuilt libvips cannot read it (libheif; see heic.test.ts)', { skip: !haveHeifEnc() && 'heif-enc not installed (Debian package libheif-examples; .ci/setup test installs it)' }, async () => {
    const t = await engine.thumbnail(ids['phone.heic']!);
    assert.equal(t.kind, 'image');
    // its size is known when the photo itself was decoded (else the capture-date reader finds it)
    if (t.kind === 'image' && t.width !== null) assert.deepEqual([t.width, t.height], [64, 48]);
    const m = await sharp(t.kind === 'image' ? t.path : '').metadata();
    assert.deepEqual([m.width, m.height], [64, 48]);
  });
});
