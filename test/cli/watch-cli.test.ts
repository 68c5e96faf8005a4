// `shoebox watch …`, `run`, `pause`/`resume` as a person uses them (issue #4).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, spawnCli, tempDir, unprivilegedUid, waitFor, writeTree } from '../support/fixtures.js';

interface Row { album: string; name: string }

async function photos(files: Record<string, string>): Promise<string> {
  const root = path.join(tempDir(), 'Photos');
  const entries: Record<string, Buffer> = {};
  for (const [rel, seed] of Object.entries(files)) entries[rel] = await jpeg(seed);
  writeTree(root, entries);
  return root;
}

describe('shoebox watch (CLI)', () => {
  it('asks for a mode on a folder with subfolders, and says so clearly when it cannot ask; a refused add creates no library', async () => {
    const library = path.join(tempDir(), 'lib');
    const root = await photos({ 'a/x.jpg': 'cli-x' });
    const r = await runCli(['watch', 'add', root], { library });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /has subfolders: choose --mode single .* or --mode separate/);
    // Refusals about the folder come before the library is opened: none of them creates one.
    const missing = await runCli(['watch', 'add', path.join(root, 'nope')], { library });
    assert.equal(missing.code, 7);
    const file = await runCli(['watch', 'add', path.join(root, 'a', 'x.jpg'), '--mode', 'single'], { library });
    assert.equal(file.code, 7);
    assert.match(file.stderr, /is a file, not a folder/);
    assert.equal(fs.existsSync(library), false, 'a refused watch add creates no library');
    const ok = await runCli(['watch', 'add', root, '--mode', 'single'], { library });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Watching .*Photos \(one album\)\.\nBacked up: 1 file,/);
    const ls = await runCli(['watch', 'ls'], { library });
    assert.match(ls.stdout, /Photos\s+single\s+stopped\s+1/);
    assert.match(ls.stdout, /no engine is running/);
    const again = await runCli(['watch', 'add', root, '--mode', 'single'], { library });
    assert.equal(again.code, 7);
    assert.match(again.stderr, /already watched/);
    const rm = await runCli(['watch', 'rm', root], { library });
    assert.match(rm.stdout, /Stopped watching .* Its files stay in the library/);
    assert.equal(parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).length, 1);
    const readd = await runCli(['--json', 'watch', 'add', root, '--mode', 'single'], { library });
    assert.equal(readd.code, 0);
    assert.equal((JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { blobs: number }).blobs, 1, 're-adding uploads nothing twice');
  });

  it('watch rm forgets the problems of the folder\'s files: they are no longer tried', async () => {
    const library = path.join(tempDir(), 'lib');
    const root = await photos({ 'a.jpg': 'cli-rm-errors-a' });
    fs.writeFileSync(path.join(root, 'zero.jpg'), '');
    assert.equal((await runCli(['watch', 'add', root], { library })).code, 3, 'the empty photo is refused');
    const before = JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { errors: number };
    assert.equal(before.errors, 1);
    assert.equal((await runCli(['watch', 'rm', root], { library })).code, 0);
    const after = JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { errors: number; recentErrors: unknown[] };
    assert.deepEqual([after.errors, after.recentErrors], [0, []]);
  });

  it('watch add says how many files it did not back up because you deleted them from the library, and how to have them back', async () => {
    const library = path.join(tempDir(), 'lib');
    const root = await photos({ 'a.jpg': 'cli-del-a', 'b.jpg': 'cli-del-b', 'c.jpg': 'cli-del-c' });
    assert.equal((await runCli(['upload', root], { library })).code, 0);
    const b = parseLines<Row & { fileId: number }>((await runCli(['--json', 'ls'], { library })).stdout).find((r) => r.name === 'b.jpg')!;
    assert.equal((await runCli(['rm', String(b.fileId)], { library })).code, 0);
    const add = await runCli(['watch', 'add', root], { library });
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /Backed up: 2 files,.*\nNot backed up: 1 file you deleted from the library earlier .*`shoebox reset-ignored` backs such files up again\./s);
    assert.equal((await runCli(['watch', 'rm', root], { library })).code, 0);
    const again = await runCli(['--json', 'watch', 'add', root], { library });
    assert.equal((JSON.parse(again.stdout) as { deletedByYou: number }).deletedByYou, 1);
  });

  it('run: live backup, status while running, a second run or a serve refused (serve before it prints a link), pause/resume (watch ls and status agree that the watch is paused, with its pending change), clean stop', async () => {
    const library = path.join(tempDir(), 'lib');
    const root = await photos({ 'a.jpg': 'run-a' });
    assert.equal((await runCli(['watch', 'add', root], { library })).code, 0);
    const child = spawnCli(['run'], { library });
    const exited = once(child, 'exit');
    try {
      await waitFor(async () => /Engine\s+running .*All backed up/.test((await runCli(['status'], { library })).stdout), 15_000, 'engine running');
      const second = await runCli(['run'], { library });
      assert.equal(second.code, 4);
      assert.match(second.stderr, /Another Shoebox engine \(process \d+\) is already running on this library/);
      // serve is refused the same way, before it prints a link to a window whose engine never starts.
      const serve = await runCli(['serve', '--port', '0'], { library });
      assert.equal(serve.code, 4, serve.stderr);
      assert.match(serve.stderr, /Another Shoebox engine \(process \d+\) is already running on this library/);
      assert.doesNotMatch(serve.stdout, /Open this link|token=/);
      fs.writeFileSync(path.join(root, 'b.jpg'), await jpeg('run-b'));
      await waitFor(async () => parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).some((r) => r.name === 'b.jpg'), 15_000, 'b.jpg backed up');
      assert.match((await runCli(['pause'], { library })).stdout, /Syncing paused/);
      fs.writeFileSync(path.join(root, 'c.jpg'), await jpeg('run-c'));
      await waitFor(async () => /Paused \(1 change waiting\)/.test((await runCli(['status'], { library })).stdout), 15_000, 'paused with a change waiting');
      // watch ls agrees with status: the watch is paused, with its change pending.
      const ls = await runCli(['watch', 'ls'], { library });
      assert.match(ls.stdout, /Photos\s+single\s+paused\s+2\s+\S+ \S+\s+1\n/);
      assert.match(ls.stdout, /Paused \(1 change waiting\); `shoebox resume` backs them up/);
      const [row] = JSON.parse((await runCli(['--json', 'watch', 'ls'], { library })).stdout) as Array<{ state: string; pending: number }>;
      assert.deepEqual([row!.state, row!.pending], ['paused', 1]);
      assert.match((await runCli(['status'], { library })).stdout, /\n {2}paused {6}.*Photos \(2 files, 1 pending\)/);
      assert.equal(parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).some((r) => r.name === 'c.jpg'), false);
      await runCli(['resume'], { library });
      await waitFor(async () => parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).some((r) => r.name === 'c.jpg'), 15_000, 'c.jpg after resume');
      await waitFor(async () => /Photos\s+single\s+watching\s+3\s/.test((await runCli(['watch', 'ls'], { library })).stdout), 15_000, 'watch ls: watching again');
    } finally {
      child.kill('SIGINT');
      await exited;
    }
    assert.equal(child.exitCode, 0);
    assert.match((await runCli(['status'], { library })).stdout, /Engine\s+not running/);
  });

  it('symlink loops, folders renamed to hidden names and unreadable folders: clear status, nothing lost', { skip: process.platform !== 'linux' && 'POSIX permissions and symlinks' }, async () => {
    const uid = unprivilegedUid();
    const library = path.join(tempDir(), 'lib');
    const root = await photos({ 'keep/a.jpg': 'odd-a', 'hide/b.jpg': 'odd-b', 'locked/c.jpg': 'odd-c' });
    fs.symlinkSync(root, path.join(root, 'keep', 'loop'));
    fs.symlinkSync('/etc', path.join(root, 'outside'));
    const as = uid !== undefined ? { uid } : {};
    assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library, ...as })).code, 0);
    const albums = async () => {
      const out: Record<string, string[]> = {};
      for (const r of parseLines<Row>((await runCli(['--json', 'ls'], { library, ...as })).stdout)) (out[r.album] ??= []).push(r.name);
      return out;
    };
    assert.deepEqual(await albums(), { hide: ['b.jpg'], keep: ['a.jpg'], locked: ['c.jpg'] });
    fs.renameSync(path.join(root, 'hide'), path.join(root, '.hide'));
    fs.chmodSync(path.join(root, 'locked'), 0o000);
    try {
      const child = spawnCli(['run'], { library, ...as });
      const exited = once(child, 'exit');
      // the folder renamed to a hidden name is no longer backed up: its file goes to Uncategorized
      await waitFor(async () => (await albums()).Uncategorized?.includes('b.jpg') ?? false, 15_000, 'hidden folder treated as gone');
      child.kill('SIGINT');
      await exited;
      // the unreadable folder is reported, and its file stays in its album (not treated as deleted)
      const status = (await runCli(['status'], { library, ...as })).stdout;
      assert.match(status, /locked in .* cannot be read; its files are not backed up and not treated as deleted/);
      const a = await albums();
      assert.deepEqual(a.keep, ['a.jpg']);
      assert.deepEqual(a.locked, ['c.jpg']);
    } finally {
      fs.chmodSync(path.join(root, 'locked'), 0o755);
    }
  });
  it('a folder unreadable when run started is backed up and watched once it can be read, and its error goes', { skip: (process.platform !== 'linux' || unprivilegedUid() === undefined) && 'needs POSIX permissions and an unprivileged user (as root every folder is readable)', timeout: 120_000 }, async () => {
    const uid = unprivilegedUid()!;
    const library = path.join(tempDir(), 'lib');
    const root = await photos({ 'open/a.jpg': 'again-a', 'locked/c.jpg': 'again-c' });
    const locked = path.join(root, 'locked');
    fs.chmodSync(locked, 0o000);
    type Status = { recentErrors: Array<{ at: number; code: string; path: string | null }> };
    const lockedError = async () => (JSON.parse((await runCli(['--json', 'status'], { library, uid })).stdout) as Status).recentErrors.find((e) => e.path === locked);
    try {
      assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library, uid })).code, 3, 'the unreadable folder is a problem');
      const first = (await lockedError())!;
      assert.equal(first.code, 'SOURCE_UNREADABLE');
      const child = spawnCli(['run'], { library, uid });
      const exited = once(child, 'exit');
      try {
        // run's own catch-up records the problem again: by then its watcher is set up (it starts before the catch-up)
        await waitFor(async () => ((await lockedError())?.at ?? 0) > first.at, 30_000, 'run\'s catch-up to see the unreadable folder');
        fs.chmodSync(locked, 0o755);
        const albums = async () => parseLines<Row>((await runCli(['--json', 'ls'], { library, uid })).stdout).map((r) => `${r.album}/${r.name}`).sort();
        await waitFor(async () => (await albums()).includes('locked/c.jpg'), 30_000, 'the file of the folder now readable');
        assert.equal(await lockedError(), undefined, 'the folder\'s problem is over');
        // and the folder is watched live now
        fs.writeFileSync(path.join(locked, 'd.jpg'), await jpeg('again-d'));
        await waitFor(async () => (await albums()).includes('locked/d.jpg'), 30_000, 'a new file in the folder now readable');
      } finally {
        child.kill('SIGINT');
        await exited;
      }
      // The same at a restart: a folder unreadable at the last run and readable now loses its problem at the catch-up.
      fs.chmodSync(locked, 0o000);
      const before = (await lockedError())?.at ?? 0;
      const second = spawnCli(['run'], { library, uid });
      await waitFor(async () => ((await lockedError())?.at ?? 0) > before, 30_000, 'the catch-up to see the folder unreadable again');
      second.kill('SIGINT');
      await once(second, 'exit');
      fs.chmodSync(locked, 0o755);
      fs.writeFileSync(path.join(locked, 'e.jpg'), await jpeg('again-e'));
      const third = spawnCli(['run'], { library, uid });
      try {
        await waitFor(async () => parseLines<Row>((await runCli(['--json', 'ls'], { library, uid })).stdout).some((r) => r.name === 'e.jpg'), 30_000, 'the catch-up to back up the folder readable again');
        assert.equal(await lockedError(), undefined, 'its problem is gone after the catch-up');
      } finally {
        third.kill('SIGINT');
        await once(third, 'exit');
      }
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });
});
