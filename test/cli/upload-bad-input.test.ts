// Bad input to `shoebox upload` (issue #3): each case gets a clear message naming the thing,
// a meaningful exit code, and nothing already in the library is lost or corrupted.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { jpeg, parseLines, runCli, tempDir, unprivilegedUid, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';
import type { UploadSummary } from '../../main/core/upload/upload-service.js';

interface LsRow { album: string; name: string; fileId: number; size: number; hash: string; hashAlgorithm: string }

async function libraryWithOnePhoto(): Promise<{ library: string; before: LsRow[] }> {
  const library = path.join(tempDir(), 'lib');
  const src = path.join(tempDir(), 'Keep');
  writeTree(src, { 'keep.jpg': await jpeg('keep') });
  const r = await runCli(['upload', src], { library });
  assert.equal(r.code, 0, r.stderr);
  return { library, before: parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout) };
}

async function assertUnchanged(library: string, before: LsRow[]): Promise<void> {
  const after = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout);
  for (const row of before) assert.ok(after.some((a) => a.fileId === row.fileId && a.hash === row.hash && a.album === row.album), `${row.name} still there`);
  assert.deepEqual(verifyLibrary(library).problems, []);
}

describe('shoebox upload: bad input', () => {
  it('a path that does not exist: exit 7, the message names it', async () => {
    const { library, before } = await libraryWithOnePhoto();
    const r = await runCli(['upload', '/no/such/folder'], { library });
    assert.equal(r.code, 7);
    assert.match(r.stderr, /\/no\/such\/folder does not exist/);
    await assertUnchanged(library, before);
  });

  it('a refused upload or pause of one folder creates no library; the first path refused stops it before anything is read', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Fine');
    writeTree(src, { 'a.jpg': await jpeg('refused-a') });
    const missing = await runCli(['upload', src, '/no/such/folder'], { library });
    assert.equal(missing.code, 7);
    assert.match(missing.stderr, /\/no\/such\/folder does not exist/);
    const system = await runCli(['upload', '/proc'], { library });
    assert.equal(system.code, 2);
    assert.match(system.stderr, /\/proc is a folder of the operating system/);
    const pause = await runCli(['pause', src], { library });
    assert.equal(pause.code, 7);
    assert.match(pause.stderr, /no Shoebox library at .*lib yet/);
    assert.equal(fs.existsSync(library), false, 'nothing created');
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    const inside = await runCli(['upload', path.join(library, 'objects')], { library });
    assert.equal(inside.code, 7);
    assert.match(inside.stderr, /is inside the Shoebox library/);
  });

  it('an unreadable folder and a permission-denied file: named errors, the rest is backed up', { skip: process.platform === 'win32' && 'POSIX permissions' }, async () => {
    const uid = unprivilegedUid();
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Mixed');
    writeTree(src, { 'ok.jpg': await jpeg('ok'), 'secret.jpg': await jpeg('secret'), 'Locked/inner.jpg': await jpeg('inner') });
    fs.chmodSync(path.join(src, 'secret.jpg'), 0o000);
    fs.chmodSync(path.join(src, 'Locked'), 0o000);
    const r = await runCli(['upload', src], { library, ...(uid !== undefined ? { uid } : {}) });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^2 files: 1 new, .* 1 failed/m, 'ok.jpg and secret.jpg; the locked folder is named below, not counted as a file');
    assert.match(r.stderr, /secret\.jpg cannot be read: permission denied/);
    assert.match(r.stderr, /Locked cannot be read \(EACCES\); check its permissions; what is in it was not backed up/, 'the upload itself names the folder it could not read');
    const status = JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { recentErrors: Array<{ message: string }> };
    assert.ok(status.recentErrors.some((e) => /Locked cannot be read/.test(e.message)), JSON.stringify(status.recentErrors));
    const names = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).map((x) => x.name);
    assert.deepEqual(names, ['ok.jpg']);
    // A folder whose only problem is an unreadable subfolder: the upload is not a success either.
    const only = path.join(tempDir(), 'Only');
    writeTree(only, { 'fine.jpg': await jpeg('only-fine'), 'Shut/x.jpg': await jpeg('only-x') });
    fs.chmodSync(path.join(only, 'Shut'), 0o000);
    const partly = await runCli(['--json', 'upload', only], { library, ...(uid !== undefined ? { uid } : {}) });
    assert.equal(partly.code, 3, partly.stdout + partly.stderr);
    const summary = JSON.parse(partly.stdout) as { filesTotal: number; stored: number; failed: number; failures: Array<{ path: string; code: string }> };
    // a folder is not a file: listed in failures, not counted among the files (the counts add up: 1 file, 1 new)
    assert.deepEqual([summary.filesTotal, summary.stored, summary.failed, summary.failures.map((f) => [f.code, path.basename(f.path)])], [1, 1, 0, [['SOURCE_UNREADABLE', 'Shut']]]);
    // readable again and uploaded again: its problem is gone
    fs.chmodSync(path.join(only, 'Shut'), 0o755);
    assert.equal((await runCli(['upload', only], { library, ...(uid !== undefined ? { uid } : {}) })).code, 0);
    const errs = (JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { recentErrors: Array<{ path: string | null }> }).recentErrors;
    assert.equal(errs.some((e) => e.path === path.join(only, 'Shut')), false, JSON.stringify(errs));
    const top = await runCli(['upload', path.join(src, 'Locked')], { library, ...(uid !== undefined ? { uid } : {}) });
    assert.equal(top.code, 7);
    assert.match(top.stderr, /Locked cannot be read/);
  });

  it('corrupt and truncated images are backed up byte for byte; an empty photo is reported', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Odd');
    const good = await jpeg('trunc', 5000);
    writeTree(src, { 'truncated.jpg': good.subarray(0, good.length / 2), 'garbage.jpg': Buffer.from('definitely not a jpeg'), 'empty.jpg': '' });
    const r = await runCli(['upload', src], { library });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /empty\.jpg is empty \(0 bytes\)/);
    const rows = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout);
    assert.deepEqual(rows.map((x) => x.name).sort(), ['garbage.jpg', 'truncated.jpg']);
    assert.deepEqual(verifyLibrary(library).problems, []);
    // The upload's own output says which file was kept only for its name (a truncated JPEG still starts like one).
    assert.match(r.stdout, /^1 file backed up because of its extension: the content is not a photo or video/m);
    assert.match(r.stderr, /garbage\.jpg: content not recognised as a photo or video \[UNRECOGNISED_CONTENT\]/);
    assert.doesNotMatch(r.stderr, /truncated\.jpg: content not recognised/);
    // Again: nothing is backed up, so nothing is reported; a copy elsewhere is (its bytes are stored already).
    const again = await runCli(['--json', 'upload', src], { library });
    assert.deepEqual((JSON.parse(again.stdout) as UploadSummary).unrecognised, { count: 0, paths: [] }); // always there in --json, count 0
    const other = path.join(tempDir(), 'Other');
    writeTree(other, { 'other.jpg': Buffer.from('definitely not a jpeg') });
    const copy = await runCli(['--json', 'upload', other], { library });
    assert.deepEqual((JSON.parse(copy.stdout) as UploadSummary).unrecognised, { count: 1, paths: [path.join(other, 'other.jpg')] });
  });

  it('names with unicode and newlines are kept exactly', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Ünïcødé 📷');
    const names = ['café.jpg', '写真.jpg', 'line\nbreak.jpg', 'tab\there.jpg'];
    writeTree(src, Object.fromEntries(await Promise.all(names.map(async (n) => [n, await jpeg(n)] as const))));
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    const rows = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout);
    assert.deepEqual(rows.map((x) => x.name).sort(), [...names].sort());
    assert.ok(rows.every((x) => x.album === 'Ünïcødé 📷'));
    const text = (await runCli(['ls'], { library })).stdout;
    assert.match(text, /line\\x0abreak\.jpg/, 'a newline in a name is shown escaped, one row per file');
  });

  it('a file over 10 GiB is refused with a per-file error; the others are backed up', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Big');
    writeTree(src, { 'small.jpg': await jpeg('small') });
    const big = path.join(src, 'huge.mov');
    fs.writeFileSync(big, await jpeg('huge'));
    fs.truncateSync(big, 10 * 1024 ** 3 + 1); // sparse: no disk used
    const r = await runCli(['upload', src], { library });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /huge\.mov is 10\.00 GiB, over the 10 GiB limit/);
    assert.deepEqual(parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).map((x) => x.name), ['small.jpg']);
  });

  it('a read-only library: exit 5 with what to do, nothing changed', { skip: unprivilegedUid() === undefined && process.getuid?.() === 0 ? 'needs an unprivileged user' : false }, async () => {
    const { library, before } = await libraryWithOnePhoto();
    const uid = unprivilegedUid();
    const src = path.join(tempDir(), 'New');
    writeTree(src, { 'n.jpg': await jpeg('n') });
    fs.chmodSync(library, 0o555);
    try {
      const r = await runCli(['upload', src], { library, ...(uid !== undefined ? { uid } : {}) });
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, /cannot write to the library at .*lib/i);
    } finally {
      fs.chmodSync(library, 0o755);
    }
    await assertUnchanged(library, before);
  });

  it('a catalog from a newer Shoebox: exit 5, the library is left alone', async () => {
    const { library, before } = await libraryWithOnePhoto();
    const db = new Database(path.join(library, 'catalog.sqlite'));
    const v = db.pragma('user_version', { simple: true }) as number;
    db.pragma(`user_version = ${v + 1}`);
    db.close();
    const src = path.join(tempDir(), 'New');
    writeTree(src, { 'n.jpg': await jpeg('n2') });
    const r = await runCli(['upload', src], { library });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /written by a newer version of Shoebox/);
    const db2 = new Database(path.join(library, 'catalog.sqlite'));
    db2.pragma(`user_version = ${v}`);
    db2.close();
    await assertUnchanged(library, before);
  });

  it('a full library disk: exit 6, nothing corrupt, and the next run finishes once there is space', { skip: !canMountTmpfs() && 'needs root to mount a small tmpfs' }, async () => {
    const mnt = tempDir('shoebox-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
    try {
      const library = path.join(mnt, 'lib');
      const src = path.join(tempDir(), 'Many');
      const files: Record<string, Buffer> = {};
      for (let i = 0; i < 12; i++) files[`p${i}.jpg`] = await jpeg(`full${i}`, 400_000);
      writeTree(src, files);
      const r = await runCli(['upload', src], { library });
      assert.equal(r.code, 6, r.stderr);
      assert.match(r.stderr, /is full\. Free some space and run again/);
      assert.deepEqual(verifyLibrary(library).problems, []);
      execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
      const again = await runCli(['upload', src], { library });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).length, 12);
      const v = verifyLibrary(library);
      assert.deepEqual(v.problems, []);
      assert.equal(v.tempFiles, 0);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});

describe('upload of a socket named like a photo', () => {
  it('says it cannot be read, with the system\'s reason once (not "ENXIO: ENXIO: …")', { skip: process.platform === 'win32' && 'Unix sockets' }, async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'sock.jpg');
    const server = net.createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      const r = await runCli(['upload', sock], { library: path.join(tempDir(), 'lib') });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /sock\.jpg cannot be read \(ENXIO: no such device or address/);
      assert.doesNotMatch(r.stderr, /ENXIO: ENXIO/);
    } finally {
      server.close();
    }
  });
});

describe('upload of a folder holding another Shoebox library', () => {
  it('the other library is skipped and named (its blobs are not photos); the photos beside it are backed up', async () => {
    const home = path.join(tempDir(), 'Home');
    writeTree(home, { 'Pictures/a.jpg': await jpeg('lib-in-tree-a'), 'Old/b.jpg': await jpeg('lib-in-tree-b') });
    const other = path.join(home, 'Backups', 'shoebox');
    assert.equal((await runCli(['upload', path.join(home, 'Old')], { library: other })).code, 0);
    const library = path.join(tempDir(), 'lib');
    const r = await runCli(['--json', 'upload', home], { library });
    assert.equal(r.code, 3, r.stderr);
    const s = JSON.parse(r.stdout) as { filesTotal: number; stored: number; failed: number; failures: Array<{ path: string; code: string; message: string }> };
    assert.deepEqual([s.filesTotal, s.stored, s.failed], [2, 2, 0]);
    assert.deepEqual(s.failures.map((f) => [f.code, f.path]), [['SHOEBOX_LIBRARY', other]]);
    assert.match(s.failures[0]!.message, /is another Shoebox library: its stored files are not photos to back up, so it was skipped/);
    const names = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).map((x) => x.name).sort();
    assert.deepEqual(names, ['a.jpg', 'b.jpg'], 'no blob of the other library became a photo');
    // its objects/ folder given by itself: the same (helper-50)
    const objects = await runCli(['--json', 'upload', path.join(other, 'objects')], { library });
    assert.equal(objects.code, 3, objects.stderr);
    assert.deepEqual((JSON.parse(objects.stdout) as { stored: number; failures: Array<{ code: string; path: string }> }).failures.map((f) => [f.code, f.path]), [['SHOEBOX_LIBRARY', other]]);
    assert.equal(parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).length, 2);
  });
});

describe('upload stopped by a full disk', () => {
  it('what its batch stored before the disk filled up is committed: no stored bytes are left without a row', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Small');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 20; i++) files[`s${i}.jpg`] = await jpeg(`batch-full${i}`);
    writeTree(src, files);
    // the 5th blob written finds the disk full (one chunk per small file: the 5th file copied)
    const r = await runCli(['--json', 'upload', src], { library, env: { SHOEBOX_FAULTS: 'blob-write:ENOSPC:#5' } });
    assert.equal(r.code, 6, r.stderr);
    const v = verifyLibrary(library);
    assert.deepEqual(v.problems, []);
    assert.equal(v.strayBlobs, 0, 'every blob placed before the stop is named by a row (it was not left to wait in quarantine)');
    const stored = parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).length;
    assert.ok(stored >= 4 && stored < 20, `${stored} stored`);
    assert.equal(verifyLibrary(library).quarantined, 0);
    const again = await runCli(['upload', src], { library });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(parseLines<LsRow>((await runCli(['--json', 'ls'], { library })).stdout).length, 20);
  });
});

/** True if this machine lets us mount a tmpfs (root on Linux, and not forbidden by a container). */
function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = fs.mkdtempSync('/tmp/shoebox-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // not permitted here: the test is skipped with its reason
  } finally {
    fs.rmSync(probe, { recursive: true, force: true });
  }
}
