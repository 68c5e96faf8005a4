import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { movHeader, photo } from '../../../test/support/media-fixtures.js';
import { blobPath } from '../blobs/blob-store.js';
import { Engine } from '../engine.js';
import type { ShoeboxError } from '../errors.js';
import { assignNames } from './export-service.js';
import { besideName } from './copy-out.js';
import { fitName, safeName, splitExt } from './file-names.js';

/** Every regular file under a folder: relative path → bytes. */
function readTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(root, p), fs.readFileSync(p));
    }
  };
  walk(root);
  return out;
}

describe('export and restore (issue #9)', () => {
  let engine: Engine;
  let src: string;
  let single: string;
  const files: Record<string, Buffer> = {};
  before(async () => {
    src = path.join(tempDir(), 'Photos');
    single = path.join(tempDir(), 'Phone');
    Object.assign(files, {
      'Photos/2024/Summer/beach.jpg': await jpeg('x-beach', 4000),
      'Photos/Backup/Summer/beach.jpg': await jpeg('x-beach-other', 4000), // same name, other bytes, same album: a clash
      'Photos/2024/Winter/snow.jpg': await jpeg('x-snow', 4000),
      'Photos/top.jpg': await jpeg('x-top'),
      'Photos/2024/Summer/IMG_1.jpg': await jpeg('x-live'),
      'Photos/2024/Summer/IMG_1.MOV': movHeader(6000, 7),
      'Phone/DCIM/a.jpg': await jpeg('x-a'),
      'Phone/DCIM/b.jpg': await jpeg('x-b'),
    });
    writeTree(path.dirname(src), Object.fromEntries(Object.entries(files).filter(([k]) => k.startsWith('Photos/'))));
    writeTree(path.dirname(single), Object.fromEntries(Object.entries(files).filter(([k]) => k.startsWith('Phone/'))));
    fs.utimesSync(path.join(src, 'top.jpg'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    await engine.addWatch(src, { mode: 'separate' });
    await engine.addWatch(single, { mode: 'single' });
    // the same photo in a second album: exported once per album (a hard link)
    await engine.upload({ paths: [path.join(single, 'DCIM', 'a.jpg')], album: 'Favourites' });
  });
  after(() => engine.close());

  it('round trip: every source file is in the export byte for byte, by album, mtimes kept', async () => {
    const dest = path.join(tempDir(), 'export');
    const s = await engine.export({ albums: [], all: true, dest, layout: 'albums', includeTrash: false });
    assert.equal(s.failed.length, 0);
    const out = readTree(dest);
    // the two different beach.jpg in Summer: one keeps the name, the other (higher file id) gets " (2)"
    const beaches = [out.get('Summer/beach.jpg'), out.get('Summer/beach (2).jpg')].map((b) => b?.toString('hex')).sort();
    assert.deepEqual(beaches, [files['Photos/2024/Summer/beach.jpg']!, files['Photos/Backup/Summer/beach.jpg']!].map((b) => b.toString('hex')).sort());
    const expect: Record<string, string> = {
      'Winter/snow.jpg': 'Photos/2024/Winter/snow.jpg', 'Photos/top.jpg': 'Photos/top.jpg',
      'Summer/IMG_1.jpg': 'Photos/2024/Summer/IMG_1.jpg', 'Summer/IMG_1.MOV': 'Photos/2024/Summer/IMG_1.MOV',
      'Phone/a.jpg': 'Phone/DCIM/a.jpg', 'Phone/b.jpg': 'Phone/DCIM/b.jpg', 'Favourites/a.jpg': 'Phone/DCIM/a.jpg',
    };
    assert.deepEqual([...out.keys()].sort(), [...Object.keys(expect), 'Summer/beach.jpg', 'Summer/beach (2).jpg'].sort());
    for (const [rel, source] of Object.entries(expect)) assert.deepEqual(out.get(rel), files[source], rel);
    assert.equal(s.linked, 1, 'the photo in two albums is hard-linked');
    assert.equal(fs.statSync(path.join(dest, 'Phone/a.jpg')).ino, fs.statSync(path.join(dest, 'Favourites/a.jpg')).ino);
    assert.equal(fs.statSync(path.join(dest, 'Photos/top.jpg')).mtime.toISOString(), '2020-01-02T03:04:05.000Z');
    const again = await engine.export({ albums: [], all: true, dest, layout: 'albums', includeTrash: false });
    assert.deepEqual([again.written, again.skipped, again.failed.length], [0, 9, 0], 'resuming skips what is there with the right hash');
  });

  it('flat and by-date layouts; a named album; unknown albums are refused', async () => {
    const flat = await engine.export({ albums: ['Summer'], all: false, dest: path.join(tempDir(), 'flat'), layout: 'flat', includeTrash: false });
    assert.deepEqual([...readTree(flat.dest).keys()].sort(), ['IMG_1.MOV', 'IMG_1.jpg', 'beach (2).jpg', 'beach.jpg']);
    const byDate = await engine.export({ albums: ['Photos'], all: false, dest: path.join(tempDir(), 'dated'), layout: 'by-date', includeTrash: false });
    assert.deepEqual([...readTree(byDate.dest).keys()], [path.join('2020', '01', 'top.jpg')]);
    await assert.rejects(engine.export({ albums: ['Nope'], all: false, dest: tempDir(), layout: 'albums', includeTrash: false }), (e: ShoeboxError) => e.code === 'NOT_FOUND' && /no album named "Nope"/.test(e.userMessage));
  });

  it('a different file where a photo goes is never overwritten, and the listing says how to get the photo written', async () => {
    const dest = path.join(tempDir(), 'again');
    fs.mkdirSync(path.join(dest, 'Winter'), { recursive: true });
    fs.writeFileSync(path.join(dest, 'Winter', 'snow.jpg'), 'something else');
    const s = await engine.export({ albums: ['Winter'], all: false, dest, layout: 'albums', includeTrash: false });
    assert.deepEqual(s.failed.map((f) => [f.code, f.name]), [['CONFLICT', 'snow.jpg']]);
    assert.match(s.failed[0]!.message, /already exists with other content; it was not overwritten \(move it away and run the export again to write snow\.jpg there\)/);
    assert.equal(fs.readFileSync(path.join(dest, 'Winter', 'snow.jpg'), 'utf8'), 'something else');
  });

  it('a symbolic link where a photo goes, even one pointing nowhere, is a conflict: never replaced, never written through', async () => {
    const dest = path.join(tempDir(), 'links');
    fs.mkdirSync(path.join(dest, 'Winter'), { recursive: true });
    fs.symlinkSync(path.join(dest, 'nowhere.jpg'), path.join(dest, 'Winter', 'snow.jpg')); // where a first copy goes
    fs.mkdirSync(path.join(dest, 'Phone'), { recursive: true });
    fs.symlinkSync('../nowhere.jpg', path.join(dest, 'Phone', 'a.jpg')); // where a hard link to Favourites/a.jpg goes
    const s = await engine.export({ albums: ['Winter', 'Phone', 'Favourites'], all: false, dest, layout: 'albums', includeTrash: false });
    assert.deepEqual(s.failed.map((f) => [f.code, f.name]).sort(), [['CONFLICT', 'a.jpg'], ['CONFLICT', 'snow.jpg']]);
    assert.match(s.failed[0]!.message, /is a symbolic link; it was not replaced, and nothing was written through it \(move it away/);
    for (const p of ['Winter/snow.jpg', 'Phone/a.jpg']) assert.ok(fs.lstatSync(path.join(dest, p)).isSymbolicLink(), `${p} is still the link`);
    assert.equal(fs.existsSync(path.join(dest, 'nowhere.jpg')), false, 'nothing written through a link');
    assert.deepEqual(fs.readFileSync(path.join(dest, 'Favourites', 'a.jpg')), files['Phone/DCIM/a.jpg']);
    // a link to a file with the photo's own bytes is still a link, not the photo: refused the same way
    fs.rmSync(path.join(dest, 'Winter', 'snow.jpg'));
    fs.writeFileSync(path.join(dest, 'snow-elsewhere.jpg'), files['Photos/2024/Winter/snow.jpg']!);
    fs.symlinkSync('../snow-elsewhere.jpg', path.join(dest, 'Winter', 'snow.jpg'));
    const again = await engine.export({ albums: ['Winter'], all: false, dest, layout: 'albums', includeTrash: false });
    assert.deepEqual(again.failed.map((f) => [f.code, f.name]), [['CONFLICT', 'snow.jpg']]);
    assert.ok(fs.lstatSync(path.join(dest, 'Winter', 'snow.jpg')).isSymbolicLink());
  });

  it('a different file where only a part goes (a foreign video) keeps the photo from its place too: it would be paired with it when brought in again', async () => {
    const dest = path.join(tempDir(), 'part-clash');
    fs.mkdirSync(path.join(dest, 'Summer'), { recursive: true });
    fs.writeFileSync(path.join(dest, 'Summer', 'IMG_1.MOV'), 'someone else\'s clip');
    const s = await engine.export({ albums: ['Summer'], all: false, dest, layout: 'albums', includeTrash: false });
    assert.deepEqual(s.failed.map((f) => [f.code, path.relative(dest, f.path)]).sort(), [['CONFLICT', 'Summer/IMG_1.MOV'], ['CONFLICT', 'Summer/IMG_1.jpg']]);
    assert.match(s.failed.find((f) => f.name === 'IMG_1.jpg')!.message, /^Summer\/IMG_1\.jpg was not written: Summer\/IMG_1\.MOV, where its RAW, XMP sidecar or video goes, is taken by another file/);
    const out = readTree(dest);
    assert.equal(out.has('Summer/IMG_1.jpg'), false);
    assert.equal(out.get('Summer/IMG_1.MOV')!.toString(), 'someone else\'s clip');
    assert.ok(out.has('Summer/beach.jpg'), 'the rest is written');
    // once it is moved away, the export writes the item
    fs.rmSync(path.join(dest, 'Summer', 'IMG_1.MOV'));
    const again = await engine.export({ albums: ['Summer'], all: false, dest, layout: 'albums', includeTrash: false });
    assert.deepEqual([again.failed.length, again.written], [0, 2]);
  });

  it('refuses a destination inside the library or inside a watched folder', async () => {
    await assert.rejects(engine.export({ albums: [], all: true, dest: path.join(engine.paths.root, 'x'), layout: 'albums', includeTrash: false }), /inside the library/);
    await assert.rejects(engine.export({ albums: [], all: true, dest: path.join(src, 'export'), layout: 'albums', includeTrash: false }), /inside the watched folder/);
  });

  it('restore re-creates a watched folder after a disk loss; an existing different file is kept and the photo written beside it', async () => {
    const to = tempDir();
    fs.mkdirSync(path.join(to, '2024', 'Winter'), { recursive: true });
    fs.writeFileSync(path.join(to, '2024', 'Winter', 'snow.jpg'), 'someone else\'s file');
    const r = await engine.restore(src, to);
    assert.equal(r.failed.length, 0);
    assert.equal(r.beside.length, 1);
    const tree = readTree(to);
    assert.equal(tree.get('2024/Winter/snow.jpg')!.toString(), 'someone else\'s file', 'never overwritten');
    assert.deepEqual(tree.get(path.relative(to, r.beside[0]!.wroteBeside)), files['Photos/2024/Winter/snow.jpg']);
    for (const [k, bytes] of Object.entries(files)) if (k.startsWith('Photos/') && k !== 'Photos/2024/Winter/snow.jpg') assert.deepEqual(tree.get(k.slice('Photos/'.length)), bytes, k);
    // in place, after the folder is gone
    const copyOfSrc = readTree(src);
    fs.rmSync(src, { recursive: true });
    const back = await engine.restore(src, undefined);
    assert.equal(back.written, 6);
    assert.deepEqual(readTree(src), copyOfSrc);
  });

  it('restore: a photo written beside a different file of its name takes its parts along under the same new name', async () => {
    const to = tempDir();
    fs.mkdirSync(path.join(to, '2024', 'Summer'), { recursive: true });
    fs.writeFileSync(path.join(to, '2024', 'Summer', 'IMG_1.jpg'), 'a newer picture of the same name');
    const r = await engine.restore(src, to);
    assert.equal(r.failed.length, 0);
    assert.deepEqual(r.beside.map((b) => path.basename(b.path)), ['IMG_1.jpg']);
    const moved = splitExt(path.basename(r.beside[0]!.wroteBeside)).stem; // IMG_1 (restored 1a2b3c4d)
    const tree = readTree(to);
    assert.deepEqual(tree.get(`2024/Summer/${moved}.jpg`), files['Photos/2024/Summer/IMG_1.jpg']);
    assert.deepEqual(tree.get(`2024/Summer/${moved}.MOV`), files['Photos/2024/Summer/IMG_1.MOV'], 'the live video beside its photo, under its new name');
    assert.equal(tree.has('2024/Summer/IMG_1.MOV'), false, 'not beside the other IMG_1.jpg, whose video it is not');
  });

  it('restore: a different file where only a part goes (a foreign video) moves the whole item beside it, never the photo next to it under its name', async () => {
    const to = tempDir();
    fs.mkdirSync(path.join(to, '2024', 'Summer'), { recursive: true });
    fs.writeFileSync(path.join(to, '2024', 'Summer', 'IMG_1.MOV'), 'someone else\'s clip');
    const r = await engine.restore(src, to);
    assert.equal(r.failed.length, 0);
    assert.deepEqual(r.beside.map((b) => path.relative(to, b.path)), ['2024/Summer/IMG_1.MOV']);
    const moved = splitExt(path.basename(r.beside[0]!.wroteBeside)).stem;
    assert.match(moved, /^IMG_1 \(restored [0-9a-f]{8}\)$/);
    const tree = readTree(to);
    assert.equal(tree.get('2024/Summer/IMG_1.MOV')!.toString(), 'someone else\'s clip', 'never overwritten');
    assert.equal(tree.has('2024/Summer/IMG_1.jpg'), false, 'the photo is not left to pair with the foreign video');
    assert.deepEqual(tree.get(`2024/Summer/${moved}.jpg`), files['Photos/2024/Summer/IMG_1.jpg']);
    assert.deepEqual(tree.get(`2024/Summer/${moved}.MOV`), files['Photos/2024/Summer/IMG_1.MOV']);
    // every file counts once
    assert.equal(r.written + r.skipped + r.beside.length + r.failed.length, r.files);
    // run again: the same names, nothing written twice; all of it is already there
    const again = await engine.restore(src, to);
    assert.deepEqual([again.written, again.beside.length, again.skipped], [0, 0, again.files]);
    assert.deepEqual([...readTree(to).keys()].sort(), [...tree.keys()].sort());
  });

  it('restore: where the new name is taken for a part too, the whole item goes under the next free name', async () => {
    const to = tempDir();
    const dir = path.join(to, '2024', 'Summer');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'IMG_1.MOV'), 'someone else\'s clip');
    const hash8 = engine.list().find((f) => f.name === 'IMG_1.jpg')!.hash.replace(/^sha256:/, '').slice(0, 8);
    fs.writeFileSync(path.join(dir, `IMG_1 (restored ${hash8}).MOV`), 'precious, and not the library\'s');
    fs.writeFileSync(path.join(dir, `IMG_1 (restored ${hash8} 2).jpg`), 'another stranger');
    const r = await engine.restore(src, to);
    assert.equal(r.failed.length, 0);
    const moved = `IMG_1 (restored ${hash8} 3)`;
    assert.deepEqual(r.beside.map((b) => [path.basename(b.path), path.basename(b.wroteBeside)]), [['IMG_1.MOV', `${moved}.jpg`]]);
    const tree = readTree(to);
    assert.deepEqual(tree.get(`2024/Summer/${moved}.jpg`), files['Photos/2024/Summer/IMG_1.jpg']);
    assert.deepEqual(tree.get(`2024/Summer/${moved}.MOV`), files['Photos/2024/Summer/IMG_1.MOV'], 'photo and video under one stem');
    assert.equal(tree.get(`2024/Summer/IMG_1 (restored ${hash8}).MOV`)!.toString(), 'precious, and not the library\'s');
    assert.equal(tree.has(`2024/Summer/IMG_1 (restored ${hash8}).jpg`), false, 'not beside the foreign video of that name');
  });

  it('a library copied elsewhere opens and exports', async () => {
    const copy = path.join(tempDir(), 'moved-library');
    fs.cpSync(engine.paths.root, copy, { recursive: true });
    const other = Engine.open({ libraryDir: copy, create: false });
    try {
      const s = await other.export({ albums: ['Phone'], all: false, dest: path.join(tempDir(), 'from-copy'), layout: 'albums', includeTrash: false });
      assert.deepEqual([s.written, s.failed.length], [2, 0]);
    } finally {
      await other.close();
    }
  });

  it('cat streams the original bytes; open makes a read-only copy', async () => {
    const row = engine.list().find((r) => r.name === 'b.jpg')!;
    const chunks: Buffer[] = [];
    for await (const c of engine.openFile(row.fileId)) chunks.push(c as Buffer);
    assert.deepEqual(Buffer.concat(chunks), files['Phone/DCIM/b.jpg']);
    const p = await engine.openCopy(row.fileId);
    assert.equal(path.basename(p), 'b.jpg');
    assert.deepEqual(fs.readFileSync(p), files['Phone/DCIM/b.jpg']);
    assert.equal(fs.statSync(p).mode & 0o222, 0, 'read-only');
    const root = path.dirname(path.dirname(path.dirname(p)));
    assert.equal(root, path.join(os.tmpdir(), `shoebox-open-${process.getuid?.() ?? 'user'}`));
    assert.equal(fs.statSync(root).mode & 0o777, 0o700, 'private to the user');
    // another library's file of the same id opens beside it, not onto it
    const lib2 = path.join(tempDir(), 'lib-other');
    const other = Engine.open({ libraryDir: lib2 });
    try {
      const src = path.join(tempDir(), 'Other');
      writeTree(src, { 'b.jpg': await jpeg('open-other-library') });
      await other.upload({ paths: [src] });
      const same = other.list().find((r) => r.fileId === row.fileId) ?? other.list()[0]!;
      fs.utimesSync(path.dirname(p), new Date(Date.now() - 2 * 86_400_000), new Date(Date.now() - 2 * 86_400_000)); // opened two days ago
      const q = await other.openCopy(same.fileId);
      assert.notEqual(path.dirname(path.dirname(q)), path.dirname(path.dirname(p)), 'one folder per library');
      assert.ok(fs.existsSync(p), "another library's copies are its own to clear");
      const again = await engine.openCopy(row.fileId === 1 ? 2 : 1);
      assert.equal(fs.existsSync(p), false, 'a copy opened two days ago is removed as a new one is made');
      assert.ok(fs.existsSync(again));
    } finally {
      await other.close();
    }
  });

  it('corruption: check --read-data names exactly the damaged and missing photos; export carries on; repair restores from the originals', async () => {
    const lib = path.join(tempDir(), 'lib2');
    fs.cpSync(engine.paths.root, lib, { recursive: true });
    const e = Engine.open({ libraryDir: lib, create: false });
    try {
      const snow = e.list().find((r) => r.name === 'snow.jpg')!;
      const b = e.list().find((r) => r.name === 'b.jpg')!;
      const flip = blobPath(e.paths.objects, snow.hash);
      const bytes = fs.readFileSync(flip);
      bytes[bytes.length >> 1]! ^= 0xff;
      fs.writeFileSync(flip, bytes);
      fs.rmSync(blobPath(e.paths.objects, b.hash));
      const quick = await e.check({ readData: false, repair: false });
      assert.deepEqual(quick.report.problems.map((p) => p.kind), ['blob-missing'], 'without --read-data only the missing one shows');
      const { report } = await e.check({ readData: true, repair: false });
      assert.deepEqual(report.problems.map((p) => [p.kind, p.message]).sort(), [
        ['blob-corrupt', 'the stored bytes of snow.jpg are damaged (hash mismatch)'],
        ['blob-missing', 'the stored bytes of b.jpg are missing'],
      ]);
      const s = await e.export({ albums: [], all: true, dest: path.join(tempDir(), 'ex'), layout: 'albums', includeTrash: false });
      assert.deepEqual(s.failed.map((f) => f.name).sort(), ['b.jpg', 'snow.jpg']);
      assert.equal(s.written + s.linked, 7, 'the rest is exported');
      // the originals still exist (the folder was restored above): repair stores them again
      const { repair } = await e.check({ readData: true, repair: true });
      assert.equal(repair!.remaining.length, 0);
      assert.deepEqual((await e.check({ readData: true, repair: false })).report.problems, []);
      assert.equal(fs.readdirSync(path.join(lib, 'damaged')).length, 1, 'the damaged bytes are kept aside, not deleted');
    } finally {
      await e.close();
    }
  });

  it('(last: it adds an album) a conflict never makes another copy of the same photo a link to the foreign file, and a refused photo\'s parts are not written beside that file', async () => {
    const dest = path.join(tempDir(), 'foreign');
    // Favourites/a.jpg is the first copy of a.jpg (albums by name); Phone/a.jpg would be a link to it
    fs.mkdirSync(path.join(dest, 'Favourites'), { recursive: true });
    fs.writeFileSync(path.join(dest, 'Favourites', 'a.jpg'), 'a stranger');
    // a different IMG_1.jpg where the live photo goes: its video must not land beside it
    fs.mkdirSync(path.join(dest, 'Summer'), { recursive: true });
    fs.writeFileSync(path.join(dest, 'Summer', 'IMG_1.jpg'), 'another picture');
    // and one where the second copy of a photo goes (a link): its part must wait for the answer too
    await engine.upload({ paths: [path.join(src, '2024', 'Summer', 'IMG_1.jpg'), path.join(src, '2024', 'Summer', 'IMG_1.MOV')], album: 'Zoo' });
    fs.mkdirSync(path.join(dest, 'Zoo'), { recursive: true });
    fs.writeFileSync(path.join(dest, 'Zoo', 'IMG_1.jpg'), 'a third picture');
    const s = await engine.export({ albums: [], all: true, dest, layout: 'albums', includeTrash: false });
    const out = readTree(dest);
    assert.deepEqual(out.get('Phone/a.jpg'), files['Phone/DCIM/a.jpg'], 'the other album gets the photo\'s own bytes');
    assert.equal(out.get('Favourites/a.jpg')!.toString(), 'a stranger');
    assert.equal(out.get('Summer/IMG_1.jpg')!.toString(), 'another picture');
    assert.equal(out.has('Summer/IMG_1.MOV'), false, 'the refused photo\'s video is not written beside a stranger');
    assert.equal(out.has('Zoo/IMG_1.MOV'), false);
    assert.deepEqual(s.failed.map((f) => [f.code, f.path]).sort(), [['CONFLICT', 'Favourites/a.jpg'], ['CONFLICT', 'Summer/IMG_1.MOV'], ['CONFLICT', 'Summer/IMG_1.jpg'], ['CONFLICT', 'Zoo/IMG_1.MOV'], ['CONFLICT', 'Zoo/IMG_1.jpg']].map(([c, p]) => [c, path.join(dest, p!)]));
    assert.match(s.failed.find((f) => f.name === 'IMG_1.MOV')!.message, /not written: it goes with IMG_1\.jpg, which was not/);
    assert.equal(s.written + s.linked + s.skipped + s.failed.length, s.files);
  });
});

describe('export: one folder per album', () => {
  it('albums whose names make the same folder (".", "..", ".trip" and "_trip") are not merged', async () => {
    const src = tempDir();
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      for (const [i, album] of ['.', '..', '.trip', '_trip'].entries()) {
        writeTree(src, { [`p${i}.jpg`]: await jpeg(`one-folder-${i}`) });
        await engine.upload({ paths: [path.join(src, `p${i}.jpg`)], album });
      }
      const s = await engine.export({ albums: [], all: true, dest: path.join(tempDir(), 'out'), layout: 'albums', includeTrash: false });
      const tree = [...readTree(s.dest).keys()].sort();
      assert.equal(tree.length, 4);
      assert.equal(new Set(tree.map((p) => path.dirname(p))).size, 4, `four folders: ${tree.join(', ')}`);
    } finally {
      await engine.close();
    }
  });
});

describe('export by date', () => {
  it('a file not dated yet (dating runs in the background) is dated first: it goes under the month it was taken, not the month it was copied', async () => {
    const src = path.join(tempDir(), 'Cam');
    writeTree(src, { 'old.jpg': await photo(40, 30, '2019:03:04 10:00:00') }); // modified today, taken in 2019
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    try {
      await engine.upload({ paths: [src] });
      assert.equal(engine.list()[0]!.takenAt, null, 'not dated yet');
      const s = await engine.export({ albums: [], all: true, dest: path.join(tempDir(), 'dated'), layout: 'by-date', includeTrash: false });
      assert.deepEqual([...readTree(s.dest).keys()], [path.join('2019', '03', 'old.jpg')]);
    } finally {
      await engine.close();
    }
  });
});

describe('assignNames', () => {
  it('numbers clashing names deterministically, ignoring case', () => {
    const r = assignNames<{ fileId: number; name: string; dir: string; rel?: string }>([
      { fileId: 9, name: 'a.jpg', dir: 'X' }, { fileId: 3, name: 'A.jpg', dir: 'X' }, { fileId: 5, name: 'a.jpg', dir: 'Y' }, { fileId: 4, name: 'a.jpg', dir: 'X' },
    ]);
    assert.deepEqual(r.map((e) => e.rel), ['X/a (3).jpg', 'X/A.jpg', 'Y/a.jpg', 'X/a (2).jpg']);
  });

  it('a file\'s parts follow the name it got: a numbered photo\'s RAW and XMP are numbered with it, never written under another photo\'s name', () => {
    const r = assignNames<{ fileId: number; name: string; dir: string; part?: true; rel?: string }>([
      { fileId: 2, name: 'P.jpg', dir: 'S' }, { fileId: 2, name: 'P.CR2', dir: 'S', part: true }, { fileId: 2, name: 'P.jpg.xmp', dir: 'S', part: true },
      { fileId: 1, name: 'P.jpg', dir: 'S' }, { fileId: 3, name: 'Q.jpg', dir: 'S' }, { fileId: 3, name: 'Q.CR2', dir: 'S', part: true },
    ]);
    assert.deepEqual(r.map((e) => e.rel), ['S/P (2).jpg', 'S/P (2).CR2', 'S/P (2).jpg.xmp', 'S/P.jpg', 'S/Q.jpg', 'S/Q.CR2']);
  });

  it('photos of different items never share a stem: a lone RAW or video beside another item\'s JPEG would be paired with it when brought in again', () => {
    const r = assignNames<{ fileId: number; name: string; dir: string; part?: true; rel?: string }>([
      { fileId: 1, name: 'P.CR2', dir: 'F' }, // a RAW of its own
      { fileId: 2, name: 'P.jpg', dir: 'F' }, { fileId: 2, name: 'P.jpg.xmp', dir: 'F', part: true },
      { fileId: 3, name: 'IMG_1.jpg', dir: 'F' }, { fileId: 4, name: 'img_1.MOV', dir: 'F' }, // a video of its own, not this photo's
      { fileId: 5, name: 'L.jpg', dir: 'F' }, { fileId: 5, name: 'L.MOV', dir: 'F', part: true }, // one item's parts share its stem
    ]);
    assert.deepEqual(r.map((e) => e.rel), ['F/P.CR2', 'F/P (2).jpg', 'F/P (2).jpg.xmp', 'F/IMG_1.jpg', 'F/img_1 (2).MOV', 'F/L.jpg', 'F/L.MOV']);
  });

  it('a part named after another photo (the kept copy of a duplicate took it) is written under this photo\'s name, in its kind\'s form', () => {
    const r = assignNames<{ fileId: number; name: string; dir: string; part?: true; rel?: string }>([
      { fileId: 1, name: 'K.jpg', dir: 'A' }, { fileId: 1, name: 'K2.jpg.xmp', dir: 'A', part: true }, { fileId: 1, name: 'K2.CR2', dir: 'A', part: true },
      { fileId: 2, name: 'M.heic', dir: 'A' }, { fileId: 2, name: 'Other.xmp', dir: 'A', part: true }, { fileId: 2, name: 'Other.MOV', dir: 'A', part: true },
    ]);
    assert.deepEqual(r.map((e) => e.rel), ['A/K.jpg', 'A/K.jpg.xmp', 'A/K.CR2', 'A/M.heic', 'A/M.xmp', 'A/M.MOV']);
  });

  it('shortens names no file system takes (over 255 bytes) and keeps numbered clashes within the limit', () => {
    const long = 'é'.repeat(126); // 252 bytes, then ".jpg": 256
    const r = assignNames<{ fileId: number; name: string; dir: string; rel?: string }>([
      { fileId: 1, name: `${long}.jpg`, dir: 'X' }, { fileId: 2, name: `${long}.jpg`, dir: 'X' }, { fileId: 3, name: `${'x'.repeat(251)}.jpg`, dir: 'X' }, { fileId: 4, name: `${'x'.repeat(251)}.jpg`, dir: 'X' },
    ]);
    const names = r.map((e) => path.basename(e.rel!));
    for (const n of names) assert.ok(Buffer.byteLength(n) <= 255, `${Buffer.byteLength(n)} bytes`);
    assert.deepEqual(names, [`${'é'.repeat(125)}.jpg`, `${'é'.repeat(123)} (2).jpg`, `${'x'.repeat(251)}.jpg`, `${'x'.repeat(247)} (2).jpg`], 'whole characters dropped, the extension kept');
    assert.equal(safeName('a'.repeat(300)).length, 255, 'an album folder too');
    assert.deepEqual(['.hidden', '../../up', '.', '..', ' .x.jpg'].map(safeName), ['_hidden', '_._.._up', '_', '_', '_x.jpg'], 'never a hidden name: it would be left out when brought in again');
    assert.equal(fitName(`${'a'.repeat(250)}\0ff`, '.jpg'), `${'a'.repeat(250)}.jpg`, 'never cut inside an escaped raw byte');
    const beside = path.basename(besideName(`/x/${'y'.repeat(251)}.jpg`, 'ab'.repeat(32)));
    assert.ok(Buffer.byteLength(beside) <= 255 && beside.endsWith(' (restored abababab).jpg'), beside);
  });
});
