// Free up space removes only the file it verified (issue #20; found by an adversarial review):
// another program that swaps a file in at the source's path between the last look and the move
// (a rename, a sync tool) must get its file back untouched, in Trash mode and with --delete.
// Real processes held at the exact step by the fault layer, the swap done while held.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { spawnPaused } from '../support/crash-kit.js';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';

/** A backed-up folder of two photos and a Trash of the test's own. */
async function setUp(): Promise<{ library: string; trip: string; env: NodeJS.ProcessEnv; trash: string }> {
  const root = path.join(tempDir(), 'Photos');
  writeTree(root, { 'Trip/a.jpg': await jpeg('swap-a', 2000), 'Trip/b.jpg': await jpeg('swap-b', 2000) });
  const data = path.join(tempDir(), 'data');
  const library = path.join(tempDir(), 'lib');
  const env = { XDG_DATA_HOME: data };
  assert.equal((await runCli(['upload', path.join(root, 'Trip')], { library, env })).code, 0);
  return { library, trip: path.join(root, 'Trip'), env, trash: path.join(data, 'Trash') };
}

/**
 * Swaps a never-backed-up twin in at `file`: same size and modification time, other bytes. The
 * original goes aside under a hidden name (as a sync tool's rename dance leaves it).
 */
async function swapIn(file: string): Promise<Buffer> {
  const st = fs.statSync(file);
  const twin = (await jpeg('never-backed-up', 2000)).subarray(0, st.size);
  assert.equal(twin.length, st.size);
  fs.renameSync(file, path.join(path.dirname(file), `.aside-${path.basename(file)}`));
  fs.writeFileSync(file, twin);
  fs.utimesSync(file, st.atimeMs / 1000, st.mtimeMs / 1000); // seconds as numbers: a Date would round the milliseconds
  return twin;
}

/** The source a held free-up is moving now (its intent, committed before the last look). */
function movingNow(library: string): string {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    const rows = db.prepare("SELECT path FROM freed_sources WHERE state = 'moving'").all() as Array<{ path: string }>;
    assert.equal(rows.length, 1);
    return rows[0]!.path;
  } finally {
    db.close();
  }
}

describe('free-up removes only the file it verified', () => {
  for (const mode of ['trash', 'delete'] as const) {
    it(`${mode === 'trash' ? 'Trash' : '--delete'}: a file swapped in right after the last look is put back untouched, and named (exit 3)`, async () => {
      const { library, trip, env, trash } = await setUp();
      const run = spawnPaused(['free-up', '--yes', ...(mode === 'delete' ? ['--delete'] : []), trip], { library, point: 'free-up-looked', step: 1, env });
      await run.paused;
      // held after the first file's last look, before its move
      const a = movingNow(library);
      const other = path.basename(a) === 'a.jpg' ? 'b.jpg' : 'a.jpg';
      const original = fs.readFileSync(a);
      const twin = await swapIn(a);
      run.resume();
      const r = await run.exited;
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stdout, /Freed 1 file, /);
      assert.ok(r.stdout.includes(`${a} — another file took its place right before the ${mode === 'trash' ? 'move' : 'deletion'}`), r.stdout);
      assert.deepEqual(fs.readFileSync(a), twin, 'the swapped-in file is back at its name, untouched');
      assert.deepEqual(fs.readFileSync(path.join(trip, `.aside-${path.basename(a)}`)), original);
      assert.deepEqual(fs.readdirSync(trip).sort(), [`.aside-${path.basename(a)}`, path.basename(a)], 'the other photo freed; no claim name left behind');
      if (mode === 'trash') {
        assert.deepEqual(fs.readdirSync(path.join(trash, 'files')), [other]);
        assert.deepEqual(fs.readdirSync(path.join(trash, 'info')), [`${other}.trashinfo`]);
      } else assert.equal(fs.existsSync(trash), false);
      const check = await runCli(['check'], { library, env });
      assert.equal(check.code, 0, check.stdout + check.stderr);
    });
  }

  for (const mode of ['trash', 'delete'] as const) {
    it(`${mode === 'trash' ? 'Trash' : '--delete'}: a photo deleted and written again in its place (other bytes, same size and date, perhaps the same inode number) right before the move is not freed`, async () => {
      const { library, trip, env, trash } = await setUp();
      const run = spawnPaused(['free-up', '--yes', ...(mode === 'delete' ? ['--delete'] : []), trip], { library, point: 'free-up-intent', step: 1, env });
      await run.paused;
      const a = movingNow(library);
      const st = fs.statSync(a);
      const twin = (await jpeg('rewritten-in-place', 4000)).subarray(0, st.size);
      assert.equal(twin.length, st.size, 'the same size');
      fs.unlinkSync(a); // the inode number is free again: a file system may give it to the next file
      fs.writeFileSync(a, twin);
      fs.utimesSync(a, st.atimeMs / 1000, st.mtimeMs / 1000); // seconds as numbers: a Date would round the milliseconds
      run.resume();
      const r = await run.exited;
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.ok(r.stdout.includes(`${a} — it was written to, re-dated or replaced right before the ${mode === 'trash' ? 'move' : 'deletion'}`), r.stdout);
      assert.deepEqual(fs.readFileSync(a), twin, 'the new file is where it was written, untouched');
      if (mode === 'trash') assert.equal(fs.readdirSync(path.join(trash, 'files')).includes(path.basename(a)), false);
    });
  }

  for (const mode of ['trash', 'delete'] as const) {
    it(`${mode === 'trash' ? 'Trash' : '--delete'}: a photo rewritten in place (same inode, size and date) right after the last look is not ${mode === 'trash' ? 'moved' : 'deleted'}`, async () => {
      const { library, trip, env, trash } = await setUp();
      const run = spawnPaused(['free-up', '--yes', ...(mode === 'delete' ? ['--delete'] : []), trip], { library, point: 'free-up-looked', step: 1, env });
      await run.paused;
      const a = movingNow(library);
      const st = fs.statSync(a);
      const rewritten = (await jpeg('rewritten-after-look', 4000)).subarray(0, st.size);
      assert.equal(rewritten.length, st.size, 'the same size');
      fs.writeFileSync(a, rewritten); // the same inode, truncated and written again
      fs.utimesSync(a, st.atimeMs / 1000, st.mtimeMs / 1000); // seconds as numbers: a Date would round the milliseconds
      assert.equal(fs.statSync(a).ino, st.ino);
      run.resume();
      const r = await run.exited;
      assert.equal(r.code, 3, r.stdout + r.stderr);
      assert.match(r.stdout, /Freed 1 file, /);
      assert.ok(r.stdout.includes(`${a} — another file took its place right before the ${mode === 'trash' ? 'move' : 'deletion'}`), r.stdout);
      assert.deepEqual(fs.readFileSync(a), rewritten, 'the rewritten file is back at its name');
      assert.deepEqual(fs.readdirSync(trip).filter((n) => n.startsWith('.')), [], 'no claim name left');
      if (mode === 'trash') {
        assert.deepEqual(fs.readdirSync(path.join(trash, 'files')), [path.basename(a) === 'a.jpg' ? 'b.jpg' : 'a.jpg'], 'only the other photo is in the Trash');
        assert.equal(fs.readdirSync(path.join(trash, 'info')).length, 1, 'no info file left for the one put back');
      }
    });
  }

  it('--delete killed between claiming a file and deleting it: the next free-up puts it back under its name', async () => {
    const { library, trip, env } = await setUp();
    const originals = ['a.jpg', 'b.jpg'].map((n) => fs.readFileSync(path.join(trip, n)));
    const run = spawnPaused(['free-up', '--yes', '--delete', trip], { library, point: 'free-up-claimed', step: 1, env });
    await run.paused;
    const hidden = fs.readdirSync(trip).filter((n) => n.startsWith('.shoebox-freeing-'));
    assert.equal(hidden.length, 1, `the first photo is under its claim name: ${fs.readdirSync(trip).join(', ')}`);
    assert.equal(fs.existsSync(movingNow(library)), false);
    run.child.kill('SIGKILL'); // delivered though it is stopped; resume() only keeps this test waiting for its end
    run.resume();
    assert.equal((await run.exited).signal, 'SIGKILL');
    // A review that reads nothing (every file outside its date filter) settles what was cut short.
    const settle = await runCli(['free-up', '--dry-run', '--older-than', '1970-01-02', trip], { library, env });
    assert.equal(settle.code, 0, settle.stderr);
    assert.deepEqual(fs.readdirSync(trip).sort(), ['a.jpg', 'b.jpg']);
    assert.deepEqual(['a.jpg', 'b.jpg'].map((n) => fs.readFileSync(path.join(trip, n))), originals);
    const again = await runCli(['free-up', '--yes', '--delete', trip], { library, env });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(fs.readdirSync(trip), [], 'freed on the next run, verified again');
  });
});
