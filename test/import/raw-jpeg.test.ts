import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { newExifTool } from '../../main/core/dates/exiftool-reader.js';
import { Engine } from '../../main/core/engine.js';
import type { UploadSummary } from '../../main/core/upload/upload-service.js';
import { jpeg, runUntil, tempDir, waitFor, withComment, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';
import { movHeader, photo } from '../support/media-fixtures.js';

/** A MOV whose boxes tile the file (ftyp, then mdat to the end): it looks complete, so a watch takes it once settled. */
function wholeMov(bytes: number, fill: number): Buffer {
  const mov = movHeader(bytes, fill);
  mov.writeUInt32BE(bytes - 20, 20);
  mov.write('mdat', 24, 'latin1');
  return mov;
}

/**
 * A DNG made here: an RGB TIFF written by sharp, made a DNG by ExifTool (exiftool-vendored's
 * bundled Perl ExifTool writes DNGVersion, camera and date tags). file-type sniffs it as
 * image/x-adobe-dng, as Shoebox does for a camera's DNG; its bytes are ours (no licence to track).
 */
async function dng(file: string, color: string, taken: string): Promise<Buffer> {
  fs.writeFileSync(file, await sharp({ create: { width: 60, height: 40, channels: 3, background: color } }).tiff().toBuffer());
  const tool = await newExifTool({ maxProcs: 1 });
  try {
    await tool.write(file, { DNGVersion: '1.4.0.0', UniqueCameraModel: 'Canon EOS R6', Make: 'Canon', Model: 'Canon EOS R6', DateTimeOriginal: taken }, ['-overwrite_original']);
  } finally {
    await tool.end();
  }
  return fs.readFileSync(file);
}

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmp:Rating="3" xmp:CreateDate="2023-05-01T10:00:00">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Harbour at dawn</rdf:li></rdf:Alt></dc:description></rdf:Description></rdf:RDF></x:xmpmeta>`;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('RAW+JPEG pairs and XMP sidecars', () => {
  let engine: Engine;
  let summary: UploadSummary;
  let card: string;
  const bytes: Record<string, Buffer> = {};

  before(async () => {
    card = path.join(tempDir(), 'Card');
    const dir = path.join(card, 'DCIM');
    fs.mkdirSync(dir, { recursive: true });
    bytes['IMG_0001.DNG'] = await dng(path.join(dir, 'IMG_0001.DNG'), '#357', '2023:05:01 10:00:00');
    bytes['IMG_0003.DNG'] = await dng(path.join(dir, 'IMG_0003.DNG'), '#753', '2023:05:01 10:05:00');
    bytes['IMG_0001.JPG'] = withComment(await photo(60, 40, '2023:05:01 10:00:00'), Buffer.from('pair'));
    bytes['IMG_0002.JPG'] = await jpeg('alone');
    bytes['IMG_0001.xmp'] = Buffer.from(XMP);
    writeTree(dir, { 'IMG_0001.JPG': bytes['IMG_0001.JPG'], 'IMG_0002.JPG': bytes['IMG_0002.JPG'], 'IMG_0001.xmp': bytes['IMG_0001.xmp'] });
    // The same pair again under other names in another folder: a duplicate photo, RAW and all.
    writeTree(path.join(card, 'Copies'), { 'IMG_0001 copy.JPG': bytes['IMG_0001.JPG'], 'IMG_0001 copy.DNG': bytes['IMG_0001.DNG'] });
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    summary = await engine.upload({ paths: [card] });
    await engine.dates.backfill();
  });
  after(() => engine.close());

  it('a RAW and its JPEG are one library item: one tile, the RAW and the XMP sidecar as its parts', () => {
    assert.equal(summary.failed, 0);
    assert.deepEqual({ rawPairs: summary.import?.rawPairs, xmp: summary.import?.xmpSidecars }, { rawPairs: 2, xmp: 1 });
    const names = engine.photos.page(0, 100).items.map((i) => i.name).sort();
    assert.deepEqual(names, ['IMG_0001 copy.JPG', 'IMG_0001.JPG', 'IMG_0002.JPG', 'IMG_0003.DNG'], 'RAWs of pairs and the XMP are no tiles; a RAW alone is');
    const row = engine.list('DCIM').find((r) => r.name === 'IMG_0001.JPG')!;
    assert.deepEqual(row.parts?.map((p) => [p.role, p.name, p.mediaType, p.hash]), [
      ['raw', 'IMG_0001.DNG', 'image/x-adobe-dng', sha(bytes['IMG_0001.DNG']!)],
      ['xmp', 'IMG_0001.xmp', 'application/rdf+xml', sha(bytes['IMG_0001.xmp']!)],
    ]);
    assert.equal(row.metadata?.rating?.value, 3);
    assert.deepEqual(row.metadata?.description, { value: 'Harbour at dawn', source: 'xmp' });
    assert.equal(row.dateSource, 'xmp');
  });

  it('exported as every part, byte for byte', async () => {
    const dest = path.join(tempDir(), 'out');
    const r = await engine.export({ albums: ['DCIM'], all: false, dest, layout: 'albums', includeTrash: false });
    assert.equal(r.failed.length, 0);
    const out = fs.readdirSync(path.join(dest, 'DCIM')).sort();
    assert.deepEqual(out, ['IMG_0001.DNG', 'IMG_0001.JPG', 'IMG_0001.xmp', 'IMG_0002.JPG', 'IMG_0003.DNG']);
    for (const n of out) assert.equal(sha(fs.readFileSync(path.join(dest, 'DCIM', n))), sha(bytes[n]!), n);
  });

  it('restored after a disk loss as every part, where each was', async () => {
    const to = path.join(tempDir(), 'restored');
    const r = await engine.restore(card, to);
    assert.equal(r.failed.length, 0);
    for (const n of ['IMG_0001.JPG', 'IMG_0001.DNG', 'IMG_0001.xmp', 'IMG_0003.DNG']) assert.equal(sha(fs.readFileSync(path.join(to, 'DCIM', n))), sha(bytes[n]!), n);
  });

  it('dedup sees the pair as one photo: the copy goes to Trash, the kept one keeps its RAW, whose bytes outlive emptying Trash', () => {
    const groups = engine.dedup.listGroups();
    assert.equal(groups.length, 1, 'only the JPEGs are duplicates; RAW parts are no dedup candidates');
    const g = groups[0]!;
    const keep = g.copies.find((c) => c.name === 'IMG_0001.JPG')!.fileId;
    assert.equal(engine.dedup.applyGroup({ hash: g.hash, keep, fileIds: g.copies.map((c) => c.fileId) }).status, 'applied');
    engine.trash.purge({ all: true });
    const info = engine.photos.info(keep);
    assert.deepEqual(info.parts.map((p) => p.name), ['IMG_0001.DNG', 'IMG_0001.xmp']);
    const dest = path.join(tempDir(), 'after');
    return engine.export({ albums: [], all: false, dest, layout: 'flat', includeTrash: false, fileIds: [keep] }).then((r) => {
      assert.equal(r.failed.length, 0, 'the RAW bytes are still there');
      assert.equal(sha(fs.readFileSync(path.join(dest, 'IMG_0001.DNG'))), sha(bytes['IMG_0001.DNG']!));
    });
  });

  it('similar images count the pair once (its JPEG), never its RAW', () => {
    const s = engine.similar.status();
    assert.equal(s.indexed + s.pending + s.failed, 3, 'IMG_0001.JPG, IMG_0002.JPG and the lone IMG_0003.DNG');
  });
});

describe('RAW+JPEG pairs and XMP sidecars in a watched folder', () => {
  const FAST = { timing: { settleMs: 150, deleteDelayMs: 700 }, tickMs: 30, availabilityPollMs: 150 };
  let engine: Engine;
  let folder: string;
  const bytes: Record<string, Buffer> = {};
  const partsOf = (name: string) => engine.list('Card').find((r) => r.name === name)?.parts?.map((p) => [p.role, p.name, p.hash]);

  before(async () => {
    folder = path.join(tempDir(), 'Card');
    fs.mkdirSync(folder, { recursive: true });
    for (const [name, color] of [['IMG_0001.DNG', '#135'], ['IMG_0002.DNG', '#531'], ['IMG_0005.DNG', '#315'], ['IMG_0002-edited.DNG', '#864']] as const) {
      bytes[name] = await dng(path.join(tempDir(), name), color, '2023:05:01 10:00:00');
    }
    bytes['IMG_0001.JPG'] = withComment(await photo(60, 40, '2023:05:01 10:00:00'), Buffer.from('w1'));
    bytes['IMG_0002.JPG'] = withComment(await photo(60, 40, '2023:05:01 10:01:00'), Buffer.from('w2'));
    bytes['IMG_0005.JPG'] = withComment(await photo(60, 40, '2023:05:01 10:05:00'), Buffer.from('w5'));
    bytes['IMG_0001.xmp'] = Buffer.from(XMP);
    // At the start: a pair with its sidecar, a JPEG whose RAW comes later, a sidecar of no photo.
    writeTree(folder, { 'IMG_0001.DNG': bytes['IMG_0001.DNG']!, 'IMG_0001.JPG': bytes['IMG_0001.JPG'], 'IMG_0001.xmp': bytes['IMG_0001.xmp'], 'IMG_0002.JPG': bytes['IMG_0002.JPG'], 'LOST.xmp': XMP });
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), retryDelayMs: 1, watch: FAST });
    await engine.addWatch(folder, {});
  });
  after(() => engine.close());

  it('the first sync makes a pair one item with its RAW and XMP as parts, and reads the XMP', () => {
    assert.deepEqual(engine.photos.page(0, 100).items.map((i) => i.name).sort(), ['IMG_0001.JPG', 'IMG_0002.JPG']);
    assert.deepEqual(partsOf('IMG_0001.JPG'), [['raw', 'IMG_0001.DNG', sha(bytes['IMG_0001.DNG']!)], ['xmp', 'IMG_0001.xmp', sha(bytes['IMG_0001.xmp']!)]]);
    const row = engine.list('Card').find((r) => r.name === 'IMG_0001.JPG')!;
    assert.equal(row.metadata?.rating?.value, 3);
    assert.deepEqual(row.metadata?.description, { value: 'Harbour at dawn', source: 'xmp' });
    assert.equal(engine.list().some((r) => /LOST|\.xmp$|\.DNG$/.test(r.name)), false, 'no sidecar or paired RAW is a library file');
  });

  it('while running: a pair copied in, a RAW beside a JPEG backed up before, and an edited XMP', async () => {
    const run = await engine.run();
    try {
      // The pair arrives while the watch is paused, so both files are waiting when it resumes.
      engine.watches.setPaused(folder, true);
      fs.writeFileSync(path.join(folder, 'IMG_0005.DNG'), bytes['IMG_0005.DNG']!);
      fs.writeFileSync(path.join(folder, 'IMG_0005.JPG'), bytes['IMG_0005.JPG']!);
      await waitFor(() => engine.watches.list()[0]!.pending === 2, 10_000, 'both files seen');
      engine.watches.setPaused(folder, false);
      await waitFor(() => partsOf('IMG_0005.JPG')?.length === 1, 10_000, 'IMG_0005 paired');
      assert.deepEqual(partsOf('IMG_0005.JPG'), [['raw', 'IMG_0005.DNG', sha(bytes['IMG_0005.DNG']!)]]);

      // The RAW of a JPEG backed up a moment ago (the camera wrote both within the minute).
      const jpegTime = fs.statSync(path.join(folder, 'IMG_0002.JPG')).mtime;
      fs.writeFileSync(path.join(folder, 'IMG_0002.DNG'), bytes['IMG_0002.DNG']!);
      fs.utimesSync(path.join(folder, 'IMG_0002.DNG'), jpegTime, jpegTime);
      await waitFor(() => partsOf('IMG_0002.JPG')?.length === 1, 10_000, 'IMG_0002.DNG joined its JPEG');

      // A rating changed in Lightroom: the sidecar's new bytes replace the old part, and its rating is read.
      const edited = Buffer.from(XMP.replace('xmp:Rating="3"', 'xmp:Rating="5"'));
      fs.writeFileSync(path.join(folder, 'IMG_0001.xmp'), edited);
      await waitFor(() => engine.list('Card').find((r) => r.name === 'IMG_0001.JPG')?.metadata?.rating?.value === 5, 10_000, 'the new rating');
      assert.deepEqual(partsOf('IMG_0001.JPG'), [['raw', 'IMG_0001.DNG', sha(bytes['IMG_0001.DNG']!)], ['xmp', 'IMG_0001.xmp', sha(edited)]]);
      // the sidecar before the edit is kept as an earlier version of the part ([Note: Part versions])
      const id = engine.list('Card').find((r) => r.name === 'IMG_0001.JPG')!.fileId;
      assert.deepEqual(engine.history(id)[0]!.partVersions.map((v) => [v.role, v.name, v.hash]), [['xmp', 'IMG_0001.xmp', sha(bytes['IMG_0001.xmp']!)]]);
    } finally {
      await run.stop();
    }
    assert.deepEqual(engine.photos.page(0, 100).items.map((i) => i.name).sort(), ['IMG_0001.JPG', 'IMG_0002.JPG', 'IMG_0005.JPG']);
  });

  it('renames, a RAW moved away, a RAW and a JPEG edited, an XMP before its photo: the item follows, no file is made of a part', async () => {
    const run = await engine.run();
    const rowsNamed = (re: RegExp) => engine.list().filter((r) => re.test(r.name));
    try {
      // The whole item renamed (as a photo manager does): the library file and its parts take the new names.
      for (const ext of ['JPG', 'DNG', 'xmp']) fs.renameSync(path.join(folder, `IMG_0001.${ext}`), path.join(folder, `IMG_0101.${ext}`));
      await waitFor(() => partsOf('IMG_0101.JPG')?.length === 2 && partsOf('IMG_0101.JPG')!.every((p) => p[1]!.startsWith('IMG_0101')), 10_000, 'the renamed item');
      assert.deepEqual(partsOf('IMG_0101.JPG'), [['raw', 'IMG_0101.DNG', sha(bytes['IMG_0001.DNG']!)], ['xmp', 'IMG_0101.xmp', partsOf('IMG_0101.JPG')![1]![2]]]);

      // A RAW moved to a subfolder on its own: still its photo's part, never a "RAW" file of the photo's bytes.
      fs.mkdirSync(path.join(folder, 'raws'));
      fs.renameSync(path.join(folder, 'IMG_0005.DNG'), path.join(folder, 'raws', 'IMG_0005.DNG'));
      // (the watch has seen the move once the subfolder's file is recorded)
      await waitFor(() => engine.status().recentActivity.some((a) => a.code === 'MOVED' && a.path === path.join(folder, 'raws', 'IMG_0005.DNG')), 10_000, 'the RAW followed');
      assert.deepEqual(partsOf('IMG_0005.JPG'), [['raw', 'IMG_0005.DNG', sha(bytes['IMG_0005.DNG']!)]]);

      // A RAW edited in place (its metadata rewritten): the part gets the new bytes; no new file, no new version.
      fs.writeFileSync(path.join(folder, 'IMG_0002.DNG'), bytes['IMG_0002-edited.DNG']!);
      await waitFor(() => partsOf('IMG_0002.JPG')?.[0]?.[2] === sha(bytes['IMG_0002-edited.DNG']!), 10_000, 'the edited RAW');
      const raw2 = engine.photos.info(engine.list('Card').find((r) => r.name === 'IMG_0002.JPG')!.fileId).partVersions;
      assert.deepEqual(raw2.map((v) => [v.role, v.name, v.size]), [['raw', 'IMG_0002.DNG', bytes['IMG_0002.DNG']!.length]], 'the RAW before the edit is kept');

      // The JPEG of a pair edited: the new version is the item, with the RAW; the old one leaves the album.
      const edited = withComment(bytes['IMG_0005.JPG']!, Buffer.from('edited'));
      fs.writeFileSync(path.join(folder, 'IMG_0005.JPG'), edited);
      await waitFor(() => engine.list('Card').find((r) => r.name === 'IMG_0005.JPG')?.hash === sha(edited), 10_000, 'the new version');
      assert.equal(engine.list('Card').filter((r) => r.name === 'IMG_0005.JPG').length, 1, 'one IMG_0005.JPG in the album');
      assert.deepEqual(partsOf('IMG_0005.JPG'), [['raw', 'IMG_0005.DNG', sha(bytes['IMG_0005.DNG']!)]]);

      // An XMP written before its photo: said to be alone, then kept once the photo comes.
      fs.writeFileSync(path.join(folder, 'IMG_0009.xmp'), XMP.replace('xmp:Rating="3"', 'xmp:Rating="4"'));
      await waitFor(() => engine.status().recentActivity.some((a) => a.code === 'XMP_UNMATCHED' && a.path === path.join(folder, 'IMG_0009.xmp')), 10_000, 'the lone XMP noted');
      fs.writeFileSync(path.join(folder, 'IMG_0009.JPG'), await jpeg('w9'));
      await waitFor(() => partsOf('IMG_0009.JPG')?.length === 1, 10_000, 'the XMP joined its photo');
      assert.equal(engine.list('Card').find((r) => r.name === 'IMG_0009.JPG')?.metadata?.rating?.value, 4);
    } finally {
      await run.stop();
    }
    assert.deepEqual(rowsNamed(/\.(DNG|xmp)$/i).map((r) => r.name), [], 'no library file is a part');
    for (const r of engine.list()) assert.match(r.mediaType, /^image\/jpeg$/, `${r.name} holds a JPEG`);
    assert.deepEqual(engine.photos.page(0, 100).items.map((i) => i.name).sort(), ['IMG_0002.JPG', 'IMG_0005.JPG', 'IMG_0005.JPG', 'IMG_0009.JPG', 'IMG_0101.JPG']);
    const history = engine.photos.info(engine.list('Card').find((r) => r.name === 'IMG_0002.JPG')!.fileId);
    assert.equal(history.versions?.length ?? 1, 1, 'an edited RAW makes no new version of its photo');
  });

  it('a restart finds nothing to do, and a deleted RAW leaves its photo and its part in the library', async () => {
    const blobs = engine.status().blobs;
    fs.rmSync(path.join(folder, 'raws', 'IMG_0005.DNG'));
    const run = await engine.run();
    await run.stop();
    assert.equal(engine.status().blobs, blobs, 'nothing stored again');
    assert.deepEqual(partsOf('IMG_0005.JPG'), [['raw', 'IMG_0005.DNG', sha(bytes['IMG_0005.DNG']!)]]);
    assert.deepEqual(engine.photos.page(0, 100).items.map((i) => i.name).sort(), ['IMG_0002.JPG', 'IMG_0005.JPG', 'IMG_0005.JPG', 'IMG_0009.JPG', 'IMG_0101.JPG']);
  });
});

describe('duplicates of a photo whose RAWs differ', () => {
  it('are not merged: trashing one would take its own RAW with it, so both items are kept and the group says why', async () => {
    const card = path.join(tempDir(), 'Shoot');
    const same = withComment(await photo(60, 40, '2023:05:02 09:00:00'), Buffer.from('same'));
    fs.mkdirSync(path.join(card, 'A'), { recursive: true });
    fs.mkdirSync(path.join(card, 'B'), { recursive: true });
    const rawA = await dng(path.join(card, 'A', 'M.DNG'), '#222', '2023:05:02 09:00:00');
    const rawB = await dng(path.join(card, 'B', 'N.DNG'), '#888', '2023:05:02 09:00:00');
    writeTree(card, { 'A/M.JPG': same, 'B/N.JPG': same });
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      const s = await engine.upload({ paths: [card] });
      assert.equal(s.import?.rawPairs, 2);
      const [g] = engine.dedup.listGroups();
      const r = engine.dedup.applyGroup({ hash: g!.hash, keep: g!.keep, fileIds: g!.copies.map((c) => c.fileId) });
      assert.equal(r.status, 'skipped');
      assert.match(r.status === 'skipped' ? r.reason : '', /same photo with a different RAW: the group is left alone, every copy kept/);
      engine.trash.purge({ all: true });
      const raws = engine.list().map((row) => row.parts?.find((p) => p.role === 'raw')?.hash).sort();
      assert.deepEqual(raws, [sha(rawA), sha(rawB)].sort(), 'each item keeps its own RAW');
    } finally {
      await engine.close();
    }
  });
  it('are left alone also when a third, plain copy would be kept: no RAW ends up only in Trash', async () => {
    const card = path.join(tempDir(), 'Shoot');
    const same = withComment(await photo(60, 40, '2023:05:03 09:00:00'), Buffer.from('same-3'));
    for (const d of ['L1', 'L2', 'L3']) fs.mkdirSync(path.join(card, d), { recursive: true });
    const rawA = await dng(path.join(card, 'L1', 'IMG_4.DNG'), '#224', '2023:05:03 09:00:00');
    const rawB = await dng(path.join(card, 'L2', 'DSC_4.DNG'), '#884', '2023:05:03 09:00:00');
    writeTree(card, { 'L1/IMG_4.JPG': same, 'L2/DSC_4.JPG': same, 'L3/copy.jpg': same });
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.upload({ paths: [card] });
      const [g] = engine.dedup.listGroups();
      assert.equal(g!.copies.length, 3);
      assert.deepEqual(g!.copies.map((c) => path.extname(c.sourcePath ?? '')).sort(), ['.JPG', '.JPG', '.jpg'], 'each copy\'s source is its photo, not its RAW');
      assert.match(g!.leftAlone ?? '', /same photo with a different RAW: the group is left alone/, 'the listing says the group will be left alone');
      assert.deepEqual(engine.storage().duplicates, { groups: 0, extraCopies: 0, extraBytes: 0 }, 'nor does storage count it as duplicates to remove');
      const plain = g!.copies.find((c) => c.name === 'copy.jpg')!.fileId;
      const r = engine.dedup.applyGroup({ hash: g!.hash, keep: plain, fileIds: g!.copies.map((c) => c.fileId) });
      assert.equal(r.status, 'skipped', 'keeping the plain copy would have left one RAW only in Trash');
      assert.equal(engine.trash.list().length, 0, 'nothing went to Trash');
      engine.trash.purge({ all: true });
      const raws = engine.list().map((row) => row.parts?.find((p) => p.role === 'raw')?.hash).filter((h) => h !== undefined).sort();
      assert.deepEqual(raws, [sha(rawA), sha(rawB)].sort(), 'each RAW is still with its own photo');
    } finally {
      await engine.close();
    }
  });

  it('Trash counts the bytes only a trashed photo\'s RAW uses as freed by emptying it', async () => {
    const card = path.join(tempDir(), 'Shoot');
    fs.mkdirSync(card, { recursive: true });
    const raw = await dng(path.join(card, 'IMG_7.DNG'), '#446', '2023:05:04 09:00:00');
    writeTree(card, { 'IMG_7.JPG': await photo(60, 40, '2023:05:04 09:00:00') });
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.upload({ paths: [card] });
      const [row] = engine.list();
      engine.trash.trash([row!.fileId], { forgetSources: true, reason: 'test' });
      const expected = engine.storage().trash.freedByPurge;
      assert.equal(expected, row!.size + raw.length, 'the photo and its RAW');
      assert.equal(engine.trash.purge({ all: true }).bytesFreed, expected, 'what emptying Trash then frees');
    } finally {
      await engine.close();
    }
  });
  it('the same photo in two folders, each with its own RAW, becomes two items: neither folder gets the other\'s RAW, and no RAW is a file of its own', async () => {
    const card = path.join(tempDir(), 'Card');
    const same = withComment(await photo(60, 40, '2023:05:05 09:00:00'), Buffer.from('same-split'));
    for (const d of ['L1', 'L2']) fs.mkdirSync(path.join(card, d), { recursive: true });
    const raw1 = await dng(path.join(card, 'L1', 'IMG_4.DNG'), '#225', '2023:05:05 09:00:00');
    const raw2 = await dng(path.join(card, 'L2', 'IMG_4.DNG'), '#885', '2023:05:05 09:00:00');
    writeTree(card, { 'L1/IMG_4.JPG': same, 'L2/IMG_4.JPG': same });
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.upload({ paths: [card], mode: 'separate' });
      const rows = engine.list().map((r) => [r.album, r.name, r.parts?.find((p) => p.role === 'raw')?.hash] as const).sort();
      assert.deepEqual(rows, [['L1', 'IMG_4.JPG', sha(raw1)], ['L2', 'IMG_4.JPG', sha(raw2)]], 'each album: the photo with its own RAW');
      const dest = path.join(tempDir(), 'out');
      await engine.export({ albums: [], all: true, dest, layout: 'albums', includeTrash: false });
      assert.deepEqual(fs.readdirSync(path.join(dest, 'L2')).sort(), ['IMG_4.DNG', 'IMG_4.JPG']);
      assert.equal(sha(fs.readFileSync(path.join(dest, 'L2', 'IMG_4.DNG'))), sha(raw2), 'L2 gets its own RAW under its name');
      assert.equal(sha(fs.readFileSync(path.join(dest, 'L1', 'IMG_4.DNG'))), sha(raw1));
      assert.deepEqual(verifyLibrary(engine.paths.root).problems, []);
    } finally {
      await engine.close();
    }
  });

});

describe('duplicates of a photo whose XMP sidecars differ', () => {
  it('are left alone: each copy carries its own rating or edit; a copy with a sidecar and a plain one are merged, the sidecar written under the kept photo\'s name', async () => {
    const card = path.join(tempDir(), 'Shoot');
    const same = withComment(await photo(60, 40, '2023:05:05 09:00:00'), Buffer.from('same-xmp'));
    const plainToo = withComment(await photo(60, 40, '2023:05:06 09:00:00'), Buffer.from('plain-xmp'));
    const rated = (n: number) => XMP.replace('xmp:Rating="3"', `xmp:Rating="${n}"`);
    writeTree(card, {
      'A/K.jpg': same, 'A/K.jpg.xmp': rated(5), 'C/K2.jpg': same, 'C/K2.jpg.xmp': rated(1), // two edits of one photo
      'D/M.jpg': plainToo, 'D/M.jpg.xmp': rated(4), 'E/M2.jpg': plainToo, // one edit, one plain copy
    });
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.upload({ paths: [card] });
      const groups = engine.dedup.listGroups();
      const edits = groups.find((g) => g.copies.some((c) => c.name === 'K.jpg'))!;
      assert.match(edits.leftAlone ?? '', /same photo with a different XMP sidecar \(another rating or edit\): the group is left alone/);
      const r = engine.dedup.applyGroup({ hash: edits.hash, keep: edits.keep, fileIds: edits.copies.map((c) => c.fileId) });
      assert.equal(r.status, 'skipped');
      assert.equal(engine.storage().duplicates.groups, 1, 'storage counts only the group dedup would apply');
      const plain = groups.find((g) => g.copies.some((c) => c.name === 'M.jpg'))!;
      assert.equal(plain.leftAlone, null, 'a copy without a sidecar differs by nothing: it takes the other\'s');
      const keep = plain.copies.find((c) => c.name === 'M2.jpg')!.fileId;
      assert.equal(engine.dedup.applyGroup({ hash: plain.hash, keep, fileIds: plain.copies.map((c) => c.fileId) }).status, 'applied');
      const dest = path.join(tempDir(), 'out');
      await engine.export({ albums: ['D', 'E'], all: false, dest, layout: 'albums', includeTrash: false });
      for (const album of ['D', 'E']) {
        assert.deepEqual(fs.readdirSync(path.join(dest, album)).sort(), ['M2.jpg', 'M2.jpg.xmp'], `${album}: the sidecar beside the kept photo, under its name`);
        assert.equal(fs.readFileSync(path.join(dest, album, 'M2.jpg.xmp'), 'utf8'), rated(4));
      }
    } finally {
      await engine.close();
    }
  });
});

describe('an item\'s part edited in place ([Note: Part versions])', () => {
  it('an edited live video is the photo\'s video now, not a file of its own; the earlier bytes are kept, listed, and freed with the photo', async () => {
    const folder = path.join(tempDir(), 'Live');
    const image = await jpeg('live-edit');
    const before = wholeMov(6000, 1);
    const after = wholeMov(6100, 2);
    writeTree(folder, { 'IMG_1.jpg': image, 'IMG_1.MOV': before });
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.addWatch(folder, { mode: 'single' });
      const [row] = engine.list();
      assert.deepEqual(row!.parts?.map((p) => [p.role, p.hash]), [['live', sha(before)]]);
      fs.writeFileSync(path.join(folder, 'IMG_1.MOV'), after);
      await runUntil(engine, () => engine.list()[0]?.parts?.[0]?.hash === sha(after), 'the edited video');
      assert.deepEqual(engine.list().map((r) => [r.fileId, r.name]), [[row!.fileId, 'IMG_1.jpg']], 'still one item, the same file; no video file of its own');
      assert.deepEqual(engine.photos.info(row!.fileId).partVersions.map((v) => [v.role, v.name, v.size]), [['live', 'IMG_1.MOV', before.length]]);
      assert.equal(engine.history(row!.fileId).length, 1, 'no new version of the photo');
      engine.trash.trash([row!.fileId], { forgetSources: true, reason: 'test' });
      const freed = engine.storage().trash.freedByPurge;
      assert.equal(freed, image.length + before.length + after.length, 'emptying Trash frees the photo, its video and the video\'s earlier bytes');
      assert.equal(engine.trash.purge({ all: true }).bytesFreed, freed);
      assert.equal(engine.status().blobs, 0, 'nothing stored is left behind');
      assert.deepEqual(verifyLibrary(engine.paths.root).problems, []);
    } finally {
      await engine.close();
    }
  });
});
