// `shoebox free-up` and `shoebox import --free-up` as a person uses them (issue #20): real
// processes, a Trash of the test's own ($XDG_DATA_HOME), the watch of a running engine beside.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { spawnPaused } from '../support/crash-kit.js';
import { jpeg, parseLines, runCli, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';

interface Row { album: string; name: string; fileId: number }
interface Status { blobs: number; recentActivity: Array<{ at: number; code: string; path: string | null }>; sync: { queued: number } | null }

/** A library, a photo folder and a Trash of the test's own. */
async function setUp(files: Record<string, string>, root = path.join(tempDir(), 'Photos')): Promise<{ library: string; root: string; env: NodeJS.ProcessEnv; trash: string }> {
  const entries: Record<string, Buffer> = {};
  for (const [rel, seed] of Object.entries(files)) entries[rel] = await jpeg(seed, 3000);
  writeTree(root, entries);
  const data = path.join(tempDir(), 'data');
  return { library: path.join(tempDir(), 'lib'), root, env: { XDG_DATA_HOME: data }, trash: path.join(data, 'Trash') };
}

const ls = async (library: string) => parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).map((r) => `${r.album}/${r.name}`).sort();
const status = async (library: string) => JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as Status;
const freedRows = (library: string) => {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT path, state FROM freed_sources ORDER BY path').all() as Array<{ path: string; state: string }>;
  } finally {
    db.close();
  }
};

/** Restores a file from the freedesktop Trash as a file manager does: rename back, drop the info file. */
function restoreFromTrash(trash: string, name: string, to: string): void {
  fs.renameSync(path.join(trash, 'files', name), to);
  fs.rmSync(path.join(trash, 'info', `${name}.trashinfo`));
}

describe('shoebox free-up (CLI)', () => {
  it('reviews without changing anything, says what is kept and why, and frees on --yes; --json lists every file', async () => {
    const { library, root, env, trash } = await setUp({ 'Trip/a.jpg': 'cli-fu-a', 'Trip/b.jpg': 'cli-fu-b', 'Trip/c.jpg': 'cli-fu-c' });
    assert.equal((await runCli(['upload', path.join(root, 'Trip')], { library, env })).code, 0);
    fs.appendFileSync(path.join(root, 'Trip/c.jpg'), 'edited');
    const dry = await runCli(['free-up', '--dry-run', root], { library, env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Can free 2 files, .*: moved to the Trash; their library copies stay in every album\./);
    assert.match(dry.stdout, /Kept 1 file \(not freed\):\n {2}changed since it was backed up: 1 file.*\n {4}.*Trip\/c\.jpg — its size or modification time differs/);
    const noTerminal = await runCli(['free-up', root], { library, env });
    assert.match(noTerminal.stdout, /Nothing changed\. Run with --yes to free them\./);
    for (const n of ['a', 'b', 'c']) assert.ok(fs.existsSync(path.join(root, `Trip/${n}.jpg`)));
    const before = await ls(library);
    const r = await runCli(['--json', 'free-up', '--yes', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { review: { qualifying: { files: number } }; qualifying: Array<{ path: string; hash: string }>; kept: Array<{ path: string; reason: string }>; applied: { freed: number; method: string } };
    assert.equal(out.review.qualifying.files, 2);
    assert.deepEqual(out.qualifying.map((q) => path.basename(q.path)).sort(), ['a.jpg', 'b.jpg']);
    assert.deepEqual(out.kept.map((k) => [path.basename(k.path), k.reason]), [['c.jpg', 'changed-since-backup']]);
    assert.deepEqual([out.applied.freed, out.applied.method], [2, 'trash']);
    assert.deepEqual(fs.readdirSync(path.join(trash, 'files')).sort(), ['a.jpg', 'b.jpg']);
    assert.deepEqual(await ls(library), before, 'albums unchanged');
    assert.equal((await runCli(['free-up', '--older-than', 'soon', root], { library, env })).code, 2);
  });

  it('flags: --album may be repeated and never takes the paths after it; import\'s freeing flags need --free-up; --require-offsite without a remote is refused', async () => {
    const { library, root, env } = await setUp({ 'Summer/a.jpg': 'flags-a', 'Winter/b.jpg': 'flags-b', 'Autumn/c.jpg': 'flags-c' });
    assert.equal((await runCli(['upload', '--mode', 'separate', root], { library, env })).code, 0);
    const albums = await runCli(['--json', 'free-up', '--dry-run', '--album', 'Summer', '--album', 'Winter', root], { library, env });
    assert.equal(albums.code, 0, albums.stderr);
    const out = JSON.parse(albums.stdout) as { review: { roots: string[]; excluded: number }; qualifying: Array<{ path: string }> };
    assert.deepEqual(out.qualifying.map((q) => path.basename(q.path)).sort(), ['a.jpg', 'b.jpg']);
    assert.deepEqual([out.review.roots, out.review.excluded], [[root], 1]);
    const unknown = await runCli(['free-up', '--album', 'Nowhere', root], { library, env });
    assert.equal(unknown.code, 7);
    assert.match(unknown.stderr, /There is no album named "Nowhere"\. `shoebox albums` lists them\./);
    const orphan = await runCli(['import', root, '--yes', '--dry-run'], { library, env });
    assert.equal(orphan.code, 2);
    assert.match(orphan.stderr, /--dry-run, --yes are for freeing the card: add --free-up/);
    const offsite = await runCli(['free-up', '--require-offsite', '--yes', root], { library, env });
    assert.equal(offsite.code, 2);
    assert.match(offsite.stderr, /this library has no offsite copy set up: nothing could be freed.*`shoebox remote add`/);
    for (const f of ['Summer/a.jpg', 'Winter/b.jpg', 'Autumn/c.jpg']) assert.ok(fs.existsSync(path.join(root, f)), 'nothing was freed');
  });

  it('with `run` watching beside it: freed files stay in their albums, a restore from the Trash uploads nothing, and a later deletion is a deletion again', async () => {
    const { library, root, env, trash } = await setUp({ 'Summer/a.jpg': 'w-fu-a', 'Summer/b.jpg': 'w-fu-b', 'Winter/c.jpg': 'w-fu-c' });
    assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library, env })).code, 0);
    const before = await ls(library);
    const start = async () => {
      const child = spawnCli(['run'], { library, env });
      await waitFor(async () => (await status(library)).sync !== null, 30_000, 'engine running');
      return child;
    };
    /** Waits until the running engine has seen everything up to a new file written now (events are in order). */
    const settled = async (name: string) => {
      fs.writeFileSync(path.join(root, 'Winter', name), await jpeg(name));
      await waitFor(async () => (await ls(library)).includes(`Winter/${name}`) && (await status(library)).sync?.queued === 0, 30_000, `${name} backed up and nothing queued`);
    };
    let run = await start();
    try {
      const r = await runCli(['free-up', '--yes', path.join(root, 'Summer')], { library, env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Freed 2 files/);
      await settled('sentinel-1.jpg');
      assert.deepEqual(await ls(library), [...before, 'Winter/sentinel-1.jpg'].sort(), 'the watch took the freed files for freed: no album lost one, nothing went to Uncategorized');
      assert.equal((await status(library)).recentActivity.some((a) => a.code === 'REMOVED'), false);
      const exited = once(run, 'exit');
      run.kill('SIGINT');
      await exited;
      run = await start(); // a restart reconciles: the freed paths are still not deletions
      await settled('sentinel-2.jpg');
      assert.deepEqual(await ls(library), [...before, 'Winter/sentinel-1.jpg', 'Winter/sentinel-2.jpg'].sort());
      const blobs = (await status(library)).blobs;
      const restoredAt = Date.now();
      restoreFromTrash(trash, 'a.jpg', path.join(root, 'Summer/a.jpg'));
      await settled('sentinel-3.jpg');
      const after = await status(library);
      assert.equal(after.blobs, blobs + 1, 'only the sentinel was stored: the restored file uploaded nothing');
      assert.equal(after.recentActivity.some((a) => a.at >= restoredAt && a.path?.endsWith('Summer/a.jpg')), false, 'nothing happened to the restored file');
      assert.deepEqual(freedRows(library).map((f) => path.basename(f.path)), ['b.jpg'], 'the restored file is watched as before');
      fs.rmSync(path.join(root, 'Summer/a.jpg'));
      await waitFor(async () => (await ls(library)).includes('Uncategorized/a.jpg'), 30_000, 'a real deletion after the restore');
      assert.ok((await ls(library)).includes('Summer/b.jpg'), 'the other freed file stays in its album');
    } finally {
      const exited = once(run, 'exit');
      run.kill('SIGINT');
      await exited;
    }
  });

  it('a different photo at a freed path is a new photo: the freed one stays in its album, not an earlier version in Uncategorized; a copy restored with a new date is not stored twice', async () => {
    const { library, root, env, trash } = await setUp({ 'DCIM/IMG_0001.jpg': 'reuse-1', 'DCIM/IMG_0002.jpg': 'reuse-2' });
    assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library, env })).code, 0);
    const r = await runCli(['free-up', '--yes', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const blobs = (await status(library)).blobs;
    // The camera starts again at IMG_0001 on a new card; IMG_0002 is copied back from the Trash (new inode and date).
    fs.writeFileSync(path.join(root, 'DCIM/IMG_0001.jpg'), await jpeg('reuse-new-1', 3000));
    fs.writeFileSync(path.join(root, 'DCIM/IMG_0002.jpg'), fs.readFileSync(path.join(trash, 'files', 'IMG_0002.jpg')));
    const run = spawnCli(['run'], { library, env });
    try {
      await waitFor(async () => (await ls(library)).length === 3 && (await status(library)).sync?.queued === 0, 60_000, 'the new IMG_0001.jpg backed up');
    } finally {
      const exited = once(run, 'exit');
      run.kill('SIGINT');
      await exited;
    }
    assert.deepEqual(await ls(library), ['DCIM/IMG_0001.jpg', 'DCIM/IMG_0001.jpg', 'DCIM/IMG_0002.jpg'], 'the freed IMG_0001 and the new one, side by side; nothing in Uncategorized');
    assert.equal((await status(library)).blobs, blobs + 1, 'only the new photo was stored');
    assert.deepEqual(freedRows(library), [], 'both paths are watched as before');
  });

  it('import CARD --free-up backs the card up into one album, then frees it; a restored card file is not backed up again', async () => {
    const card = path.join(tempDir(), 'EOS_DIGITAL');
    const { library, env, trash } = await setUp({ 'DCIM/100CANON/IMG_0001.JPG': 'card-1', 'DCIM/100CANON/IMG_0002.JPG': 'card-2' }, card);
    fs.writeFileSync(path.join(card, 'DCIM/100CANON/notes.txt'), 'not a photo');
    const r = await runCli(['import', card, '--free-up', '--yes'], { library, env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Backing up .*EOS_DIGITAL into the album "EOS_DIGITAL"/);
    assert.match(r.stdout, /Freed 2 files/);
    assert.deepEqual(await ls(library), ['EOS_DIGITAL/IMG_0001.JPG', 'EOS_DIGITAL/IMG_0002.JPG']);
    assert.deepEqual(fs.readdirSync(path.join(card, 'DCIM/100CANON')), ['notes.txt'], 'what is not a photo stays on the card');
    restoreFromTrash(trash, 'IMG_0001.JPG', path.join(card, 'DCIM/100CANON/IMG_0001.JPG'));
    const again = await runCli(['--json', 'import', card], { library, env });
    const { upload } = JSON.parse(again.stdout) as { upload: { stored: number; created: number; skipped: number } };
    assert.deepEqual([upload.stored, upload.created, upload.skipped], [0, 0, 1], 'already there: nothing uploaded');
  });

  it('files found changed at the move are named, by reason, after what was freed (exit 3)', async () => {
    const { library, root, env } = await setUp({ 'Trip/a.jpg': 'moved-a', 'Trip/b.jpg': 'moved-b', 'Trip/c.jpg': 'moved-c' });
    assert.equal((await runCli(['upload', path.join(root, 'Trip')], { library, env })).code, 0);
    // Held right after its first file is freed; the two others change before their turn.
    const run = spawnPaused(['free-up', '--yes', root], { library, point: 'free-up-file', step: 1, env });
    await run.paused;
    const left = fs.readdirSync(path.join(root, 'Trip')).sort();
    assert.equal(left.length, 2);
    for (const n of left) fs.appendFileSync(path.join(root, 'Trip', n), 'edited');
    run.resume();
    const r = await run.exited;
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /Freed 1 file, /);
    assert.ok(r.stdout.includes(`\nNot freed after all: 2 files, found at the last look before each went:\n  changed after the review: 2 files, `), r.stdout);
    // Which re-check caught each (the re-hash or the last look) depends on where its read was when held.
    for (const n of left) assert.ok(r.stdout.includes(`\n    ${path.join(root, 'Trip', n)} — it`), `${n} is named: ${r.stdout}`);
    assert.deepEqual(fs.readdirSync(path.join(root, 'Trip')).sort(), left);
  });
});
