import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { jpeg, tempDir, waitFor, writeTree } from '../../../test/support/fixtures.js';
import { blobPath } from '../blobs/blob-store.js';
import { Engine } from '../engine.js';
import { FreedesktopTrash } from './freedesktop-trash.js';

const open: Engine[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});

/** A library with a watched folder of `n` photos backed up, and a Trash of its own. */
async function setUp(n: number): Promise<{ engine: Engine; root: string; data: string; files: string[] }> {
  const root = path.join(tempDir(), 'Photos');
  const tree: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) tree[`${i % 2 ? 'Summer' : 'Winter'}/IMG_${i}.jpg`] = await jpeg(`fu-${i}-${root}`, 2000);
  writeTree(root, tree);
  const data = path.join(tempDir(), 'data');
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), retryDelayMs: 1, systemTrash: new FreedesktopTrash({ dataHome: data }) });
  open.push(engine);
  await engine.addWatch(root, { mode: 'separate' });
  return { engine, root, data, files: Object.keys(tree).map((r) => path.join(root, r)) };
}

const albums = (e: Engine) => e.list().map((r) => `${r.album}/${r.name}#${r.fileId}`).sort();
const reasonOf = (review: Awaited<ReturnType<Engine['freeUp']['review']>>, p: string) => review.kept.find((k) => k.examples.some((x) => x.path === p))?.reason;

describe('Free up space (DESIGN §11)', () => {
  it('an XMP sidecar edited after its photo was freed is still that photo\'s part: the edit is backed up, not dropped as a sidecar beside no photo', async () => {
    const { engine, root: watched } = await setUp(1);
    const root = path.join(watched, 'Trip');
    const xmp = (rating: number) => `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="${rating}"/></rdf:RDF></x:xmpmeta>`;
    writeTree(root, { 'IMG_1.JPG': await jpeg('fu-xmp', 2000), 'IMG_1.xmp': xmp(4) });
    const run = await engine.run();
    try {
      await waitFor(() => engine.list().some((r) => r.parts?.some((p) => p.role === 'xmp')), 10_000, 'the photo and its sidecar backed up');
      const review = await engine.freeUp.review({ paths: [path.join(root, 'IMG_1.JPG')] });
      assert.equal((await engine.freeUp.apply(review.id)).freed, 1, 'the photo is freed; its sidecar stays on disk');
      assert.equal(fs.existsSync(path.join(root, 'IMG_1.JPG')), false);
      fs.writeFileSync(path.join(root, 'IMG_1.xmp'), xmp(5));
      const sha = createHash('sha256').update(xmp(5)).digest('hex');
      await waitFor(() => engine.list().find((r) => r.name === 'IMG_1.JPG')?.parts?.find((p) => p.role === 'xmp')?.hash === sha, 10_000, 'the edited sidecar is the photo\'s part');
    } finally {
      await run.stop();
    }
  });

  it('frees only verified sources: a damaged library copy, a source edited after backup and one never backed up are kept with their reasons; albums unchanged', async () => {
    const { engine, root, data, files } = await setUp(8);
    const [damaged, edited, ...rest] = files as [string, string, ...string[]];
    const hashOf = (p: string) => engine.list().find((r) => r.name === path.basename(p))!.hash;
    fs.writeFileSync(blobPath(engine.paths.objects, hashOf(damaged)), Buffer.from('bit rot'));
    fs.appendFileSync(edited, 'edited after backup');
    const fresh = path.join(root, 'Summer', 'new.jpg');
    fs.writeFileSync(fresh, await jpeg('not yet backed up'));
    const before = albums(engine);
    const review = await engine.freeUp.review({});
    assert.equal(review.method, 'trash');
    assert.equal(review.requireOffsite, false, 'no remote: the offsite copy is not required');
    assert.deepEqual([review.qualifying.files, review.qualifying.bytes], [rest.length, rest.reduce((n, p) => n + fs.statSync(p).size, 0)]);
    assert.equal(reasonOf(review, damaged), 'library-copy-damaged');
    assert.equal(reasonOf(review, edited), 'changed-since-backup');
    assert.equal(reasonOf(review, fresh), 'not-backed-up');
    assert.ok(review.bytesRead >= 2 * review.qualifying.bytes, 'every qualifying source and its library copy were read');
    for (const p of files) assert.ok(fs.existsSync(p), 'the review changes nothing');
    assert.equal(engine.status().damagedBytes, 1, 'the damaged copy the review found is marked, as every reader marks it: a watch stores it again from the kept original');

    const result = await engine.freeUp.apply(review.id);
    assert.deepEqual([result.freed, result.skipped.length, result.interrupted], [rest.length, 0, false]);
    for (const p of rest) {
      assert.equal(fs.existsSync(p), false, `${p} was freed`);
      assert.ok(fs.existsSync(path.join(data, 'Trash/files', path.basename(p))), `${p} is in the Trash`);
      assert.match(fs.readFileSync(path.join(data, 'Trash/info', `${path.basename(p)}.trashinfo`), 'utf8'), new RegExp(`Path=${fs.realpathSync(path.dirname(p))}/${path.basename(p)}\n`));
    }
    for (const p of [damaged, edited, fresh]) assert.ok(fs.existsSync(p), `${p} stays`);
    assert.deepEqual(albums(engine), before, 'every library file stays in every album');
    assert.match(engine.status().recentActivity[0]!.message, new RegExp(`^Freed up ${rest.length} files .*moved to the Trash`));
    await assert.rejects(engine.freeUp.apply(review.id), /no longer available/);

    // As the kept original's reason says: backing it up again (here: the watch, when Shoebox next starts) stores the damaged copy again from it.
    const run = await engine.run();
    try {
      await waitFor(() => engine.status().damagedBytes === 0, 30_000, 'the damaged copy stored again');
      assert.equal(createHash('sha256').update(fs.readFileSync(blobPath(engine.paths.objects, hashOf(damaged)))).digest('hex'), hashOf(damaged));
    } finally {
      await run.stop();
    }
  });

  it('a source edited between the review and the move is skipped, not moved', async () => {
    const { engine, files } = await setUp(3);
    const review = await engine.freeUp.review({ paths: [path.dirname(files[0]!)] });
    assert.equal(review.qualifying.files, 2);
    const touched = files[0]!;
    fs.writeFileSync(touched, Buffer.concat([fs.readFileSync(touched), Buffer.from('x')]));
    const result = await engine.freeUp.apply(review.id);
    assert.equal(result.freed, 1);
    assert.deepEqual(result.skipped.map((s) => [s.reason, s.examples[0]!.path]), [['changed-before-move', touched]]);
    assert.ok(fs.existsSync(touched));
  });

  for (const del of [false, true]) {
    it(`a library copy damaged between the review and the confirmation keeps its original (${del ? 'deleting' : 'moving to the Trash'}), with the reason`, async () => {
      const { engine, data, files } = await setUp(3);
      const review = await engine.freeUp.review({ delete: del });
      assert.equal(review.qualifying.files, 3);
      const [hurt, ...rest] = files as [string, ...string[]];
      const blob = blobPath(engine.paths.objects, engine.list().find((r) => r.name === path.basename(hurt))!.hash);
      const bytes = fs.readFileSync(blob);
      bytes[bytes.length >> 1]! ^= 0xff; // one flipped byte: same size, other content
      fs.chmodSync(blob, 0o644);
      fs.writeFileSync(blob, bytes);
      const result = await engine.freeUp.apply(review.id);
      assert.equal(result.freed, 2);
      assert.deepEqual(result.skipped.map((s) => [s.reason, s.examples.map((x) => x.path)]), [['library-copy-damaged', [hurt]]]);
      assert.match(result.skipped[0]!.examples[0]!.detail ?? '', /damaged after the review.*keep this original/);
      assert.ok(fs.existsSync(hurt), 'the original of a damaged copy stays where it is');
      assert.equal(fs.existsSync(path.join(data, 'Trash/files', path.basename(hurt))), false);
      for (const p of rest) assert.equal(fs.existsSync(p), false, `${p} was freed`);
      assert.equal(engine.status().damagedBytes, 1, 'the damage found at the move is marked like every reader marks it');
    });
  }

  for (const del of [false, true]) {
    it(`a source in a read-only folder is kept with the reason and the rest are freed (${del ? 'deleting' : 'moving to the Trash'})`, async (t) => {
      const { engine, root, files } = await setUp(4);
      const locked = path.join(root, 'Winter');
      // Root writes anywhere but into an immutable folder; anyone else is stopped by its mode.
      const lock = (on: boolean) => (process.getuid?.() === 0 ? execFileSync('chattr', [on ? '+i' : '-i', locked], { stdio: 'pipe' }) : fs.chmodSync(locked, on ? 0o555 : 0o755));
      const review = await engine.freeUp.review({ delete: del });
      assert.equal(review.qualifying.files, 4);
      try {
        lock(true);
      } catch (err) {
        t.skip(`chattr +i is not supported here: ${(err as Error).message}`);
        return;
      }
      try {
        const result = await engine.freeUp.apply(review.id);
        const inLocked = files.filter((p) => path.dirname(p) === locked);
        assert.equal(result.freed, files.length - inLocked.length);
        assert.deepEqual(result.skipped.map((s) => [s.reason, s.files]), [['cannot-move', inLocked.length]]);
        assert.match(result.skipped[0]!.examples[0]!.detail ?? '', new RegExp(`^its folder ${locked} is read-only or not writable by you \\(or the file is locked\\)$`), 'in plain words, no errno code');
        for (const p of files) assert.equal(fs.existsSync(p), inLocked.includes(p), `${p} ${inLocked.includes(p) ? 'stays' : 'was freed'}`);
      } finally {
        lock(false);
      }
    });
  }

  it('filters: a date filter leaves newer files out, an album filter keeps to its albums, and a file path frees just that file', async () => {
    const { engine, files } = await setUp(6);
    const all = await engine.freeUp.review({ olderThan: Date.now() + 86_400_000 });
    assert.equal(all.qualifying.files, 6);
    const none = await engine.freeUp.review({ olderThan: 1 });
    assert.deepEqual([none.qualifying.files, none.excluded], [0, 6]);
    const summer = await engine.freeUp.review({ albums: ['Summer'] });
    assert.deepEqual([summer.qualifying.files, summer.excluded], [3, 3]);
    await assert.rejects(engine.freeUp.review({ albums: ['Nowhere'] }), /no album named "Nowhere"/);
    const one = await engine.freeUp.review({ paths: [files[0]!] });
    assert.equal(one.qualifying.files, 1);
    await assert.rejects(engine.freeUp.review({ paths: [engine.paths.objects] }), /inside the Shoebox library/);
    await assert.rejects(engine.freeUp.review({ paths: ['/no/such/folder'] }), /does not exist/);
  });

  it('deleting (an explicit choice) removes verified sources without a Trash', async () => {
    const { engine, data, files } = await setUp(2);
    const review = await engine.freeUp.review({ delete: true });
    assert.equal(review.method, 'delete');
    const result = await engine.freeUp.apply(review.id);
    assert.equal(result.freed, 2);
    for (const p of files) assert.equal(fs.existsSync(p), false);
    assert.equal(fs.existsSync(path.join(data, 'Trash')), false);
    assert.equal(engine.list().length, 2, 'the library keeps both');
  });

  it('asking for verified offsite copies where the library has no remote is refused, naming what to do; nothing is freed', async () => {
    const { engine, files } = await setUp(2);
    await assert.rejects(engine.freeUp.review({ requireOffsite: true }), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'INVALID_ARGUMENT');
      assert.match(err.message, /no offsite copy set up/);
      assert.match(err.hint ?? '', /shoebox remote add/);
      return true;
    });
    for (const p of files) assert.ok(fs.existsSync(p));
  });

  for (const blocked of ['Trash', 'Trash/files']) {
    it(`a home Trash made unusable after the review (${blocked} a regular file) keeps every file at the apply, with the reason; nothing is written`, async () => {
      const { engine, data, files } = await setUp(2);
      const review = await engine.freeUp.review({});
      assert.equal(review.qualifying.files, 2);
      fs.rmSync(path.join(data, 'Trash'), { recursive: true, force: true });
      fs.mkdirSync(path.dirname(path.join(data, blocked)), { recursive: true });
      fs.writeFileSync(path.join(data, blocked), 'not a folder');
      const result = await engine.freeUp.apply(review.id);
      assert.equal(result.freed, 0);
      assert.deepEqual(result.skipped.map((s) => [s.reason, s.files]), [['no-trash', 2]]);
      assert.equal(result.skipped[0]!.examples[0]!.detail, `no usable Trash: ${path.join(data, blocked)} is not a folder`);
      for (const p of files) assert.ok(fs.existsSync(p));
      assert.equal(fs.readFileSync(path.join(data, blocked), 'utf8'), 'not a folder', 'the file in the way is left alone');
      const again = await engine.freeUp.review({});
      assert.deepEqual(again.kept.map((k) => [k.reason, k.files, k.examples[0]!.detail]), [['no-trash', 2, `no usable Trash: ${path.join(data, blocked)} is not a folder`]], 'the review says it up front');
    });
  }

  it('files another review already freed are said to be already freed at the move (not changed, not kept)', async () => {
    const { engine, files } = await setUp(3);
    const first = await engine.freeUp.review({});
    const second = await engine.freeUp.review({});
    assert.equal((await engine.freeUp.apply(first.id)).freed, 3);
    const late = await engine.freeUp.apply(second.id);
    assert.equal(late.freed, 0);
    assert.deepEqual(late.skipped.map((s) => [s.reason, s.text, s.files]), [['already-freed', 'already freed by another Free up space', 3]]);
    assert.deepEqual(late.skipped[0]!.examples.map((e) => [e.path, e.detail]), [...files].sort().map((p) => [p, 'another Free up space moved it to the Trash meanwhile']));
  });
});
