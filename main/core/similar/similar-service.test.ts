import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, runUntil, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { realPhotosDir } from '../../../test/support/real-photos.js';
import { pairwiseScores, similarFixtures, type LabeledImage } from '../../../test/support/similar-fixtures.js';
import { blobPath } from '../blobs/blob-store.js';
import { Engine } from '../engine.js';
import { fromF16, toF16 } from './f16.js';
import { chooseBestShot, mayGoByDefault } from './decide-similar.js';
import { DEFAULT_THRESHOLD } from './similar-service.js';

const photos = realPhotosDir();

describe('f16 storage', () => {
  it('round-trips normalized vectors within half precision', () => {
    const v = new Float32Array(1792).map((_, i) => Math.sin(i) / 30);
    const back = fromF16(toF16(v));
    for (let i = 0; i < v.length; i++) assert.ok(Math.abs(back[i]! - v[i]!) <= Math.abs(v[i]!) * 1e-3 + 6e-8, `${v[i]} came back as ${back[i]}`);
  });
});

describe('Similar images on real photos (DESIGN §5)', { skip: 'missing' in photos && photos.missing }, () => {
  let engine: Engine;
  let labels: LabeledImage[];
  let root: string;
  before(async () => {
    labels = await similarFixtures('dir' in photos ? photos.dir : '', path.join(tempDir(), 'fixtures'));
    root = path.join(tempDir(), 'Library photos');
    // two albums: the originals in "Originals", every edit in "Edits"
    for (const l of labels) {
      const album = l.transform === 'original' ? 'Originals' : 'Edits';
      fs.mkdirSync(path.join(root, album), { recursive: true });
      fs.copyFileSync(l.file, path.join(root, album, path.basename(l.file)));
    }
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    await engine.upload({ paths: [root], mode: 'separate' });
  });
  after(() => engine.close());

  it('indexes every image (resumably) and groups edits, re-encodes and burst shots, not different photos', async (t) => {
    const first = await engine.similar.index({ max: 40 });
    assert.equal(first, 40, 'stops after max and commits what it did');
    await engine.similar.index();
    const s = engine.similar.status();
    assert.deepEqual([s.indexed, s.pending, s.failed], [labels.length, 0, 0]);
    const names = new Map(engine.list().map((r) => [r.fileId, r.name]));
    const groups = await engine.similar.groups(DEFAULT_THRESHOLD);
    const scores = pairwiseScores(labels, groups.map((g) => g.images.map((i) => names.get(i.fileId)!)));
    t.diagnostic(`threshold ${DEFAULT_THRESHOLD}: precision ${scores.precision.toFixed(3)}, recall ${scores.recall.toFixed(3)}, F1 ${scores.f1.toFixed(3)} over ${scores.truePairs} true pairs`);
    assert.equal(scores.precision, 1, 'different photos never grouped (grass, gravel and brick included)');
    assert.ok(scores.recall >= 0.5, `recall ${scores.recall} (the calibration set's held-out half: 0.54 at the default)`);
    for (const g of groups) {
      assert.equal(g.images[0]!.fileId, g.reference, 'the reference comes first');
      assert.deepEqual(g.keep, [g.reference], 'the reference is the default keep');
      const closeByModel = g.images.slice(1).every((i) => i.similarity >= 0.93);
      if (g.preselected) assert.ok(closeByModel, 'pre-selected only when every other image is near-identical to the reference by the model');
      // …and by its pixels: a group the model alone would pre-select is left for review only for
      // edits that move or recolour the picture (crop, rotation, brightness).
      else if (closeByModel) {
        const edits = g.images.map((i) => names.get(i.fileId)!).filter((n) => !n.includes('-original'));
        assert.ok(edits.some((n) => /-(cropped|rotated|brighter)/.test(n)), `left for review although only resized or recompressed: ${edits.join(', ')}`);
      }
    }
    assert.ok(groups.some((g) => g.preselected) && groups.some((g) => !g.preselected), 'both near-identical groups and groups for review');
    const burst = groups.find((g) => g.images.some((i) => names.get(i.fileId) === 'motorcycle_left-burst-other-view.jpg'));
    assert.ok(burst?.images.some((i) => names.get(i.fileId) === 'motorcycle_left-original.jpg'), 'the second shot of the same moment is grouped');
  });

  it('the default keep is never a smaller copy when a sharp larger one is in the group', async () => {
    for (const g of (await engine.similar.groups(DEFAULT_THRESHOLD)).filter((x) => x.keepReason === 'larger')) {
      const kept = g.images.find((i) => i.fileId === g.reference)!;
      for (const i of g.images) assert.ok((kept.width ?? 0) * (kept.height ?? 0) >= (i.width ?? 0) * (i.height ?? 0), `${kept.name} kept over the larger ${i.name}`);
    }
  });

  it('apply: removed images go to Trash and every album keeps a kept image of the scene', async () => {
    const groups = await engine.similar.groups(DEFAULT_THRESHOLD);
    const g = groups.find((x) => x.images.some((i) => i.albums.includes('Originals')) && x.images.some((i) => i.albums.includes('Edits')))!;
    const keep = g.images.find((i) => i.albums.includes('Edits'))!; // keep an edit: "Originals" would lose its scene
    const remove = g.images.filter((i) => i.fileId !== keep.fileId).map((i) => i.fileId);
    const r = await engine.similar.apply({ keep: [keep.fileId], remove });
    assert.equal(r.status, 'applied');
    assert.deepEqual(r.status === 'applied' && r.albumsGiven, ['Originals']);
    const rows = engine.list();
    assert.ok(rows.some((x) => x.fileId === keep.fileId && x.album === 'Originals'), 'Originals now holds the kept image');
    assert.ok(rows.some((x) => x.fileId === keep.fileId && x.album === 'Edits'));
    assert.equal(rows.filter((x) => remove.includes(x.fileId)).length, 0);
    assert.equal(engine.trash.list().length, remove.length);
    assert.equal((await engine.similar.apply({ keep: [keep.fileId], remove })).status, 'skipped', 'a changed group is skipped, not half-applied');
  });

  /** Applies a group with images in both albums, keeping one only in Edits (so it is given Originals), recorded for undo. */
  async function applyAcrossAlbums(): Promise<{ keep: number; remove: number[]; undoId: string }> {
    const g = (await engine.similar.groups(DEFAULT_THRESHOLD)).find((x) => x.images.some((i) => i.albums.includes('Originals')) && x.images.some((i) => i.albums.includes('Edits')))!;
    const keep = g.images.find((i) => i.albums.includes('Edits') && !i.albums.includes('Originals'))!.fileId;
    const remove = g.images.filter((i) => i.fileId !== keep).map((i) => i.fileId);
    const undoId = engine.similar.beginApply();
    assert.equal((await engine.similar.apply({ keep: [keep], remove }, undoId)).status, 'applied');
    return { keep, remove, undoId };
  }

  it('undo after applying: the images come back into their albums and the given memberships are taken back', async () => {
    const state = () => engine.list().map((r) => `${r.album}/${r.fileId} added ${r.addedAt}`).sort();
    const before = state();
    const { remove, undoId } = await applyAcrossAlbums();
    assert.notDeepEqual(state(), before);
    await new Promise((r) => setTimeout(r, 5)); // an undo a moment later
    const r = engine.similar.undo(undoId);
    assert.deepEqual([r.restored, r.gone, r.membershipsRemoved], [remove.length, 0, 1]);
    assert.deepEqual(state(), before, 'the library is as before the confirm, each image where it was in its albums (when it was added)');
    assert.throws(() => engine.similar.undo(undoId), /nothing to undo/);
  });

  it('undo restores only what the confirm put in Trash: an image restored and deleted again by you since stays in Trash', async () => {
    const { remove, undoId } = await applyAcrossAlbums();
    engine.trash.restore([remove[0]!]);
    await new Promise((r) => setTimeout(r, 5));
    engine.trash.trash([remove[0]!], { forgetSources: true, reason: 'deleted by you' });
    const r = engine.similar.undo(undoId);
    assert.deepEqual([r.restored, r.gone], [remove.length - 1, 1]);
    assert.ok(engine.trash.list().some((t) => t.fileId === remove[0]), 'the one you deleted yourself stays in Trash');
    engine.trash.restore([remove[0]!]);
  });

  it('undo after you restored the removed images from Trash yourself: the kept image still leaves the album it was given (no second copy of the scene)', async () => {
    const { keep, remove, undoId } = await applyAcrossAlbums();
    engine.trash.restore(remove);
    assert.equal(engine.similar.latestUndo()?.id, undoId, 'still offered: the kept image can leave the album it was given');
    const r = engine.similar.undo(undoId);
    assert.deepEqual([r.restored, r.gone, r.membershipsRemoved, r.membershipsKept], [0, remove.length, 1, 0]);
    assert.ok(!engine.list().some((x) => x.fileId === keep && x.album === 'Originals'), 'Originals holds its own images again, not the kept one beside them');
  });

  it('undo after the removed images were purged from Trash leaves the kept image in the albums it was given: no album loses its scene', async () => {
    const { keep, remove, undoId } = await applyAcrossAlbums();
    engine.purgeTrash({ all: true });
    assert.notEqual(engine.similar.latestUndo()?.id, undoId, 'nothing of it to take back: not offered as the latest undo');
    const r = engine.similar.undo(undoId);
    assert.deepEqual([r.restored, r.gone, r.membershipsRemoved, r.membershipsKept], [0, remove.length, 0, 1]);
    assert.ok(engine.list().some((x) => x.fileId === keep && x.album === 'Originals'), 'Originals keeps the scene');
  });
});

describe('Similar images: the camera original is kept ([Note: The camera original is kept])', { skip: 'missing' in photos && photos.missing }, () => {
  /**
   * A camera original of a real photo (Canon EXIF, taken at `taken`) in its own folder, the
   * copies `copies` makes of it beside it, backed up into a new library as one album and indexed.
   */
  async function cameraOriginal(photo: string, name: string, taken: string, copies: (sharp: typeof import('sharp').default, original: string, dir: string) => Promise<void>): Promise<{ engine: Engine; dir: string }> {
    const sharp = (await import('sharp')).default;
    const dir = path.join(tempDir(), path.parse(photo).name);
    fs.mkdirSync(dir);
    const original = path.join(dir, name);
    await sharp(path.join('dir' in photos ? photos.dir : '', photo)).withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS R6' }, IFD2: { DateTimeOriginal: taken } }).jpeg({ quality: 85 }).toFile(original);
    await copies(sharp, original, dir);
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    await engine.upload({ paths: [dir], mode: 'single', album: path.parse(photo).name });
    await engine.similar.index();
    return { engine, dir };
  }

  it('over a re-save at a higher quality, a sharpened copy and one with noise added, none of which has its EXIF; dated on the spot', async () => {
    const { engine } = await cameraOriginal('coffee.png', 'IMG_0001.jpg', '2023:06:01 10:00:00', async (sharp, original, dir) => {
      await sharp(original).jpeg({ quality: 97 }).toFile(path.join(dir, 'resaved.jpg'));
      await sharp(original).sharpen({ sigma: 1.5 }).jpeg({ quality: 92 }).toFile(path.join(dir, 'sharpened.jpg'));
      const { data, info } = await sharp(original).raw().toBuffer({ resolveWithObject: true });
      for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + (((i * 2654435761) >>> 24) % 25) - 12));
      await sharp(data, { raw: info }).jpeg({ quality: 92 }).toFile(path.join(dir, 'noisy.jpg'));
      assert.ok(fs.statSync(path.join(dir, 'resaved.jpg')).size > fs.statSync(original).size, 'the re-save is the larger file');
    });
    try {
      const names = new Map(engine.list().map((r) => [r.fileId, r.name]));
      const g = (await engine.similar.groups(DEFAULT_THRESHOLD)).find((x) => x.images.some((i) => names.get(i.fileId) === 'IMG_0001.jpg'));
      assert.ok(g, 'the four are grouped');
      assert.equal(g.images.length, 4, g.images.map((i) => i.name).join(', '));
      assert.equal(names.get(g.reference), 'IMG_0001.jpg', `kept ${names.get(g.reference)} (${g.keepReason}) over the camera original`);
      assert.equal(g.keepReason, 'has camera metadata');
      assert.deepEqual(g.keep, [g.reference]);
    } finally {
      await engine.close();
    }
  });

  it('an edited watched file and its earlier version are not similar images: never grouped, and apply refuses to trash one for the other', async () => {
    const sharp = (await import('sharp')).default;
    const dir = path.join(tempDir(), 'Day 1');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'astro 1.jpg');
    await sharp(path.join('dir' in photos ? photos.dir : '', 'astronaut.png')).withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS R6' }, IFD2: { DateTimeOriginal: '2023:06:04 10:00:00' } }).jpeg({ quality: 85 }).toFile(file);
    await sharp(path.join('dir' in photos ? photos.dir : '', 'coffee.png')).jpeg({ quality: 85 }).toFile(path.join(dir, 'other.jpg'));
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.addWatch(dir, { mode: 'single' });
      const oldId = engine.list().find((r) => r.name === 'astro 1.jpg')!.fileId;
      // the edit: a re-save at quality 50 (no EXIF), backed up as a new version by the start-up scan
      fs.writeFileSync(file, await sharp(file).jpeg({ quality: 50 }).toBuffer());
      const later = (Date.now() + 60_000) / 1000;
      fs.utimesSync(file, later, later);
      await runUntil(engine, () => engine.list().some((r) => r.name === 'astro 1.jpg' && r.fileId !== oldId && r.album === 'Day 1'), 'the edit backed up');
      const newId = engine.list().find((r) => r.name === 'astro 1.jpg' && r.album === 'Day 1')!.fileId;
      await engine.similar.index();
      const groups = await engine.similar.groups(DEFAULT_THRESHOLD);
      assert.equal(groups.filter((g) => g.images.some((i) => i.fileId === oldId || i.fileId === newId)).length, 0, JSON.stringify(groups.map((g) => g.images.map((i) => i.fileId))));
      const r = await engine.similar.apply({ keep: [oldId], remove: [newId] });
      assert.equal(r.status, 'skipped');
      assert.match(r.status === 'skipped' ? r.reason : '', /versions of one edited file/);
      assert.ok(engine.list().some((x) => x.fileId === newId && x.album === 'Day 1'), 'the current version stays');
    } finally {
      await engine.close();
    }
  });

  it('the kept image is read back first: an image whose stored bytes are damaged is never kept over whole ones, and apply skips a group whose kept image, or an image to go, has lost its bytes', async () => {
    const { engine } = await cameraOriginal('chelsea.png', 'IMG_0002.jpg', '2023:06:02 10:00:00', async (sharp, original, dir) => {
      await sharp(original).jpeg({ quality: 90 }).toFile(path.join(dir, 'copy.jpg'));
      await sharp(original).resize(300).withExif({ IFD0: { Make: 'Apple', Model: 'iPhone 15' }, IFD2: { DateTimeOriginal: '2024:01:01 10:00:00' } }).jpeg({ quality: 90 }).toFile(path.join(dir, 'other-camera.jpg'));
    });
    try {
      const byName = new Map(engine.list().map((r) => [r.name, r]));
      const group = async () => (await engine.similar.groups(DEFAULT_THRESHOLD)).find((x) => x.images.some((i) => i.name === 'IMG_0002.jpg'))!;
      const g = await group();
      assert.equal(g.images.length, 3);
      assert.equal(g.images.find((i) => i.fileId === g.reference)?.name, 'IMG_0002.jpg', 'the larger of the two with camera metadata');
      assert.equal(g.preselected, false, "an image to go with another camera's metadata: offered for review, not pre-selected");
      // the camera original's stored bytes are damaged, not known yet: apply reads them back and skips
      const orig = byName.get('IMG_0002.jpg')!;
      const blob = blobPath(engine.paths.objects, orig.hash);
      const bytes = fs.readFileSync(blob);
      bytes[bytes.length >> 1]! ^= 0xff;
      fs.chmodSync(blob, 0o644);
      fs.writeFileSync(blob, bytes);
      const others = g.images.filter((i) => i.fileId !== orig.fileId).map((i) => i.fileId);
      const r = await engine.similar.apply({ keep: [orig.fileId], remove: others });
      assert.equal(r.status, 'skipped');
      assert.match(r.status === 'skipped' ? r.reason : '', /IMG_0002\.jpg, the image to keep, is damaged .*nothing was moved to Trash/);
      assert.equal(engine.trash.list().length, 0);
      // now known damaged: never the default keep, whatever its metadata
      const again = await group();
      assert.equal(again.images.find((i) => i.fileId === again.reference)?.name, 'other-camera.jpg');
      assert.equal(again.keepReason, 'intact stored bytes');
      assert.equal(again.preselected, false);
      // and not moved to Trash for the intact copy either: repair may still bring the original back
      const r2 = await engine.similar.apply({ keep: [again.reference], remove: again.images.filter((i) => i.fileId !== again.reference).map((i) => i.fileId) });
      assert.equal(r2.status, 'skipped');
      assert.match(r2.status === 'skipped' ? r2.reason : '', /IMG_0002\.jpg's stored bytes are damaged.*check --repair/);
      assert.equal(engine.trash.list().length, 0);
      // bytes gone before anything noticed: the same
      fs.rmSync(blob);
      const copy = byName.get('copy.jpg')!;
      const r3 = await engine.similar.apply({ keep: [copy.fileId], remove: [orig.fileId] });
      assert.match(r3.status === 'skipped' ? r3.reason : '', /IMG_0002\.jpg's stored bytes are/);
      assert.equal(engine.trash.list().length, 0);
    } finally {
      await engine.close();
    }
  });

  it('copies that kept the original’s EXIF (a re-save, a brightened copy) leave the group for review: --yes trashes none of them', async () => {
    const { engine } = await cameraOriginal('astronaut.png', 'IMG_0003.jpg', '2023:06:03 10:00:00', async (sharp, original, dir) => {
      await sharp(original).keepExif().jpeg({ quality: 97 }).toFile(path.join(dir, 'resaved-with-exif.jpg'));
      await sharp(original).keepExif().modulate({ brightness: 1.08 }).jpeg({ quality: 95 }).toFile(path.join(dir, 'brighter-with-exif.jpg'));
      await sharp(original).resize(256).jpeg({ quality: 90 }).toFile(path.join(dir, 'small-no-exif.jpg'));
      // the copies were made later than the photo was taken and saved (here: an hour)
      const later = (fs.statSync(original).mtimeMs + 3_600_000) / 1000;
      for (const f of ['resaved-with-exif.jpg', 'brighter-with-exif.jpg', 'small-no-exif.jpg']) fs.utimesSync(path.join(dir, f), later, later);
      assert.ok(fs.statSync(path.join(dir, 'resaved-with-exif.jpg')).size > fs.statSync(original).size, 'the re-save is the larger file');
    });
    try {
      const groups = (await engine.similar.groups(DEFAULT_THRESHOLD)).filter((x) => x.images.some((i) => i.name === 'IMG_0003.jpg'));
      assert.equal(groups.length, 1);
      const g = groups[0]!;
      assert.ok(g.images.some((i) => i.name === 'resaved-with-exif.jpg'), g.images.map((i) => i.name).join(', '));
      const kept = `kept: ${g.images.find((i) => i.fileId === g.reference)?.name}, ${g.keepReason}`;
      assert.equal(g.preselected, false, `which one is the original cannot be told from the bytes (${kept})`);
      // but the suggestion for review is the older file, not the larger re-save
      assert.equal(g.images.find((i) => i.fileId === g.reference)?.name, 'IMG_0003.jpg', kept);
      assert.equal(g.keepReason, 'older file');
    } finally {
      await engine.close();
    }
  });

  it('over a sharpened and an upscaled copy that kept its EXIF, made later: kept as the older file', async () => {
    const { engine } = await cameraOriginal('coffee.png', 'IMG_0004.jpg', '2023:06:05 10:00:00', async (sharp, original, dir) => {
      await sharp(original).keepExif().sharpen({ sigma: 1.5 }).jpeg({ quality: 92 }).toFile(path.join(dir, 'sharpened-with-exif.jpg'));
      const m = await sharp(original).metadata();
      await sharp(original).keepExif().resize(Math.round(m.width * 1.5)).jpeg({ quality: 92 }).toFile(path.join(dir, 'upscaled-with-exif.jpg'));
      const later = (fs.statSync(original).mtimeMs + 3_600_000) / 1000;
      for (const f of ['sharpened-with-exif.jpg', 'upscaled-with-exif.jpg']) fs.utimesSync(path.join(dir, f), later, later);
    });
    try {
      const g = (await engine.similar.groups(DEFAULT_THRESHOLD)).find((x) => x.images.some((i) => i.name === 'IMG_0004.jpg'));
      assert.ok(g && g.images.length === 3, g?.images.map((i) => i.name).join(', '));
      const kept = g.images.find((i) => i.fileId === g.reference)!;
      assert.equal(kept.name, 'IMG_0004.jpg', `kept ${kept.name} (${g.keepReason})`);
      assert.equal(g.keepReason, 'older file');
      assert.equal(g.preselected, false, 'still for review: the copies carry camera metadata');
    } finally {
      await engine.close();
    }
  });

  it('among images that all carry it (a burst), the usual rules decide', () => {
    const features = (sharpness: number) => ({ sharpness, clippedDark: 0, clippedBright: 0, thumb: new Uint8Array(0) });
    const burst = [
      { fileId: 1, width: 100, height: 100, size: 9, cameraMetadata: 2, features: features(10) },
      { fileId: 2, width: 100, height: 100, size: 5, cameraMetadata: 2, features: features(50) },
      { fileId: 3, width: 400, height: 400, size: 99, cameraMetadata: 0, features: features(90) },
    ];
    assert.deepEqual(chooseBestShot(burst), { fileId: 2, reason: 'has camera metadata' });
    assert.deepEqual(chooseBestShot(burst.slice(0, 2)), { fileId: 2, reason: 'sharper' });
    // the one with metadata that would have won anyway says the usual reason
    assert.deepEqual(chooseBestShot([{ ...burst[2]!, cameraMetadata: 1 }, { ...burst[0]!, cameraMetadata: 0 }]), { fileId: 3, reason: 'larger' });
    // of copies that all carry it, the older file is the original (a re-save with it kept is newer, and may be larger)
    assert.deepEqual(chooseBestShot([{ ...burst[0]!, modifiedAt: 2000 }, { ...burst[0]!, fileId: 4, size: 5, modifiedAt: 1000 }]), { fileId: 4, reason: 'older file' });
    assert.deepEqual(chooseBestShot([{ ...burst[0]!, modifiedAt: 1000 }, { ...burst[0]!, fileId: 4, size: 5, modifiedAt: 1000 }]), { fileId: 1, reason: 'larger file' });
    assert.deepEqual(chooseBestShot([{ ...burst[0]!, cameraMetadata: 0, modifiedAt: 2000 }, { ...burst[0]!, cameraMetadata: 0, fileId: 4, size: 5, modifiedAt: 1000 }]), { fileId: 1, reason: 'larger file' }, 'without camera metadata the size decides');
    // copies of one shot that kept its EXIF (the same capture time and camera), made later: the original is kept over a sharper or larger one
    const shot = { cameraMetadata: 2, shot: 'Canon\u00001' };
    const original = { fileId: 7, width: 100, height: 100, size: 5, features: features(10), modifiedAt: 1000, ...shot };
    const anHourLater = 1000 + 3_600_000;
    assert.deepEqual(chooseBestShot([{ fileId: 8, width: 100, height: 100, size: 5, features: features(50), modifiedAt: anHourLater, ...shot }, original]), { fileId: 7, reason: 'older file' }, 'over a sharpened copy');
    assert.deepEqual(chooseBestShot([{ fileId: 8, width: 200, height: 200, size: 9, features: features(10), modifiedAt: anHourLater, ...shot }, original]), { fileId: 7, reason: 'older file' }, 'over an upscaled copy');
    assert.deepEqual(chooseBestShot([{ fileId: 8, width: 100, height: 100, size: 5, features: features(50), modifiedAt: anHourLater, cameraMetadata: 2, shot: 'Canon\u00002' }, original]), { fileId: 8, reason: 'sharper' }, 'another shot of a burst: the sharper');
    assert.deepEqual(chooseBestShot([{ fileId: 8, width: 100, height: 100, size: 5, features: features(50), modifiedAt: 1000, ...shot }, original]), { fileId: 8, reason: 'sharper' }, 'equal times: not told apart');
    assert.deepEqual(chooseBestShot([{ fileId: 8, width: 100, height: 100, size: 5, features: features(50), modifiedAt: 1300, ...shot }, original]), { fileId: 8, reason: 'sharper' }, 'frames of a burst in one second (written 0.3 s apart): the sharper');
    // a copy without camera metadata: that is what decided, not the file times
    assert.deepEqual(chooseBestShot([{ fileId: 8, width: 100, height: 100, size: 9, features: features(10), modifiedAt: anHourLater, cameraMetadata: 0, shot: null }, original]), { fileId: 7, reason: 'has camera metadata' });
    // bytes known damaged are never kept over whole ones
    assert.deepEqual(chooseBestShot([{ ...burst[1]!, bytesBad: true }, burst[0]!]), { fileId: 1, reason: 'intact stored bytes' });
    assert.deepEqual(chooseBestShot([{ ...burst[1]!, bytesBad: true }, { ...burst[0]!, bytesBad: true }]), { fileId: 2, reason: 'sharper' });
    // an image to go that carries camera metadata of its own keeps the group for review
    const meta = (camera: string | null, takenInBytes: number | null) => ({ cameraMetadata: Number(camera !== null) + Number(takenInBytes !== null), camera, takenInBytes, bytesBad: false });
    assert.equal(mayGoByDefault(meta(null, null)), true, 'a re-save or resize that dropped the EXIF');
    assert.equal(mayGoByDefault(meta('Canon EOS R6', 1)), false, 'the same EXIF: an edit made from the original, or the original');
    assert.equal(mayGoByDefault(meta(null, 1)), false);
    assert.equal(mayGoByDefault(meta('Canon EOS R6', null)), false);
  });
});

describe('Similar images: bad input', () => {
  it('an undecodable image is recorded once and indexing carries on; a changed model re-indexes', async () => {
    const root = tempDir();
    writeTree(root, { 'good.jpg': await jpeg('sim-good'), 'broken.jpg': (await jpeg('sim-broken', 9000)).subarray(0, 300) });
    const libraryDir = path.join(tempDir(), 'lib');
    let engine = Engine.open({ libraryDir });
    try {
      await engine.upload({ paths: [root] });
      await engine.similar.index();
      assert.deepEqual([engine.similar.status().indexed, engine.similar.status().failed], [1, 1]);
      assert.deepEqual(engine.similar.status().failedNames.map((f) => f.name), ['broken.jpg'], 'named for the window');
      assert.equal(await engine.similar.index(), 0, 'the broken one is not retried');
      // in Trash, neither counts as the library's: not indexed, not failed (helper-48)
      const ids = engine.list().map((r) => r.fileId);
      engine.trash.trash(ids, { forgetSources: false, reason: 'test' });
      assert.deepEqual([engine.similar.status().indexed, engine.similar.status().failed, engine.similar.status().failedNames.length], [0, 0, 0]);
      engine.trash.restore(ids);
    } finally {
      await engine.close();
    }
    // the same model with different metadata: other bytes, so another model id
    const { convertToOnnx, readWeights } = await import('./tfjs-to-onnx.js');
    const { loadTfjsModel, FEATURE_NODE } = await import('./build-model.js');
    const { model, weightData } = loadTfjsModel();
    const other = path.join(tempDir(), 'other.onnx');
    fs.writeFileSync(other, convertToOnnx(model, readWeights(model, weightData), FEATURE_NODE, { variant: 'test' }));
    engine = Engine.open({ libraryDir, modelPath: other });
    try {
      assert.deepEqual([engine.similar.status().indexed, engine.similar.status().pending], [0, 2]);
      await engine.similar.index();
      assert.equal(engine.similar.status().indexed, 1);
    } finally {
      await engine.close();
    }
    engine = Engine.open({ libraryDir, modelPath: path.join(tempDir(), 'missing.onnx') });
    try {
      assert.match(engine.similar.status().modelMessage!, /The image model is missing .*npm run build:model/);
      await assert.rejects(engine.similar.groups(), /image model is missing/);
    } finally {
      await engine.close();
    }
  });

  it('an image whose stored file is missing is not recorded as unreadable: it is counted as missing its bytes, not as to do, and indexed once the file is back', async () => {
    const root = tempDir();
    writeTree(root, { 'a.jpg': await jpeg('sim-away-a'), 'b.jpg': await jpeg('sim-away-b') });
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.upload({ paths: [root] });
      const hash = engine.list().find((f) => f.name === 'a.jpg')!.hash;
      const blob = blobPath(engine.paths.objects, hash);
      fs.renameSync(blob, `${blob}.away`);
      assert.equal(await engine.similar.index(), 1, 'b is indexed, a is not counted');
      const counts = () => { const st = engine.similar.status(); return [st.indexed, st.pending, st.failed, st.missingBytes]; };
      // not "still to index" forever: the loss is said, here and in the library's status
      assert.deepEqual(counts(), [1, 0, 0, 1]);
      assert.equal(engine.status().missingBytes, 1);
      assert.equal(await engine.similar.index(), 0, 'not tried again while missing');
      fs.renameSync(`${blob}.away`, blob);
      assert.equal(await engine.similar.index(), 1, 'the next pass sees the file back');
      assert.deepEqual(counts(), [2, 0, 0, 0]);
    } finally {
      await engine.close();
    }
  });

  it('a model file that is not a model: a clear error naming it, nothing recorded against the images', async () => {
    const root = tempDir();
    writeTree(root, { 'a.jpg': await jpeg('sim-bad-model') });
    const garbage = path.join(tempDir(), 'garbage.onnx');
    fs.writeFileSync(garbage, 'this is not a model');
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), modelPath: garbage });
    try {
      await engine.upload({ paths: [root] });
      await assert.rejects(engine.similar.index(), (err: Error & { code?: string }) => err.code === 'NOT_FOUND' && /garbage\.onnx could not be loaded .*npm run build:model/.test(err.message));
      assert.deepEqual([engine.similar.status().pending, engine.similar.status().failed], [1, 0]);
    } finally {
      await engine.close();
    }
  });
});
