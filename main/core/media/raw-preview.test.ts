import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { tempDir, writeTree } from '../../../test/support/fixtures.js';
import { realDng } from '../../../test/support/media-fixtures.js';
import { Engine } from '../engine.js';

describe('a real camera RAW (DNG) in the viewer', () => {
  let engine: Engine;
  let dng: Buffer | undefined;
  const root = tempDir();
  before(async () => {
    dng = await realDng(320, 240, '#d06030');
    if (!dng) return;
    writeTree(root, { 'Raw/camera.dng': dng });
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    await engine.upload({ paths: [path.join(root, 'Raw')] });
  });
  after(() => engine?.close());

  it('is a RAW file LibRaw decodes, recognised as DNG, and shown through its preview image', async (t) => {
    if (!dng) return t.skip('python3-tifffile is not installed (Debian package; `.ci/setup test` installs it)');
    const file = path.join(root, 'Raw/camera.dng');
    if (spawnSync('sh', ['-c', 'command -v dcraw_emu'], { stdio: 'ignore' }).status === 0) {
      // LibRaw reads its Bayer data: a RAW file, not a TIFF named .dng
      execFileSync('dcraw_emu', ['-T', file], { stdio: 'ignore' });
      assert.equal((await sharp(`${file}.tiff`).metadata()).width, 640);
      fs.rmSync(`${file}.tiff`);
    }
    const f = engine.list().find((x) => x.name === 'camera.dng')!;
    assert.equal(f.mediaType, 'image/x-adobe-dng');
    for (const kind of ['display', 'preview'] as const) {
      const m = await engine.media.resolve(kind, f.fileId);
      assert.equal(m.type, 'image/jpeg');
      const img = sharp(m.path);
      assert.deepEqual(await img.metadata().then((x) => [x.width, x.height]), [320, 240], kind);
      const { channels } = await img.stats();
      assert.deepEqual(channels.slice(0, 3).map((c) => Math.abs(c.mean - [0xd0, 0x60, 0x30][channels.indexOf(c)]!) < 6), [true, true, true], `${kind} shows the preview's colour`);
    }
    const thumb = await engine.thumbnail(f.fileId);
    assert.equal(thumb.kind, 'image');
  });
});
