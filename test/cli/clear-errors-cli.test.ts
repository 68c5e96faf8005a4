// Issue #15 item 11: clear errors instead of stack traces, with real processes — low open-files
// and address-space limits, output piped into a reader that stops early, malformed addresses
// sent to `serve`, a stored blob Shoebox may not read (check, export), and the staging folder
// of browser uploads.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { CLI, jpeg, runCli, tempDir, unprivilegedUid, writeTree } from '../support/fixtures.js';
import { request, startServeProcess } from '../support/serve-process.js';

const STACK = /\n\s+at .+:\d+:\d+/;

/** Runs the CLI through sh with a `ulimit` set first (as a person would in a shell). */
function underLimit(limit: string, args: string[], library: string): { code: number | null; stdout: string; stderr: string } {
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const r = spawnSync('sh', ['-c', `ulimit ${limit} && exec "${process.execPath}" "${CLI}" ${quoted}`], { env: { ...process.env, SHOEBOX_LIBRARY: library }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI with its stdout already closed by the reader (what `| head -1` does to the rest). */
async function withClosedStdout(args: string[], library: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // the reader is gone before the first write: every write gets EPIPE
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stderr };
}

describe('clear errors instead of stack traces', () => {
  const library = path.join(tempDir(), 'lib');
  const src = path.join(tempDir(), 'Photos');
  before(async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 1200; i++) files[`Roll${i % 4}/IMG_${i}.jpg`] = await jpeg(`clear-${i}`);
    writeTree(src, files);
    assert.equal((await runCli(['upload', src], { library })).code, 0);
  });

  it('ulimit -n 64: --help, status and ls work; what cannot work says which limit to raise (exit 8)', () => {
    const help = underLimit('-n 64', ['--help'], library);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: shoebox/);
    const status = underLimit('-n 64', ['status'], library);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Files\s+1200/);
    const serve = underLimit('-n 64', ['serve', '--port', '0'], library);
    assert.equal(serve.code, 8, serve.stderr);
    assert.match(serve.stderr, /too many files open .*\(ulimit -n: 64\)\. Raise it/);
    assert.doesNotMatch(serve.stderr, STACK);
  });

  it('cat into a full disk (/dev/full) says so once (exit 1), without a stack trace', { skip: !fs.existsSync('/dev/full') && 'no /dev/full here' }, () => {
    const out = fs.openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [CLI, 'cat', '1'], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', out, 'pipe'], encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, 'shoebox: could not write the output (ENOSPC).\n');
    } finally {
      fs.closeSync(out);
    }
  });

  it('a process limit met while backing up (too many open files) stops the upload and names the limit (exit 8), instead of failing file after file', async () => {
    // Under a real `ulimit -n 64` this happens or not by timing (a worker loading a module, or
    // opening a file, while the others hold descriptors); the fault point makes it certain.
    const fresh = path.join(tempDir(), 'Fresh');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 100; i++) files[`IMG_${i}.jpg`] = await jpeg(`fresh-${i}`);
    writeTree(fresh, files);
    const lib = path.join(tempDir(), 'lib-n');
    const up = await runCli(['upload', fresh], { library: lib, env: { SHOEBOX_FAULTS: 'blob-write:EMFILE:#20' } });
    assert.equal(up.code, 8, `${up.stdout}\n${up.stderr}`);
    assert.match(up.stderr, /too many files open .*\(ulimit -n: \d+\)\. Raise it/);
    assert.doesNotMatch(up.stdout + up.stderr, /IO_ERROR|could not be written|SOURCE_UNREADABLE/, 'no photo blamed for it');
    assert.doesNotMatch(up.stderr, STACK);
    // Nothing recorded against the photos: without the limit, all of them are backed up.
    const again = await runCli(['--json', 'upload', fresh], { library: lib });
    assert.equal(again.code, 0, again.stderr);
    const summary = JSON.parse(again.stdout) as { stored: number; skipped: number; failed: number };
    assert.equal(summary.failed, 0);
    assert.equal(summary.stored + summary.skipped, 100);
  });

  it('ulimit -v: an upload works with fewer threads under 3 GB; below what a thread needs, and below what Node needs, a clear refusal (exit 8)', () => {
    const lib = path.join(tempDir(), 'lib-v');
    const up = underLimit('-v 3000000', ['--json', 'upload', src], lib);
    assert.equal(up.code, 0, up.stderr);
    assert.equal((JSON.parse(up.stdout) as { stored: number }).stored, 1200);
    const tight = underLimit('-v 1600000', ['upload', path.join(src, 'Roll0')], path.join(tempDir(), 'lib-v2'));
    assert.equal(tight.code, 8, tight.stderr);
    assert.match(tight.stderr, /address-space limit of this process \(ulimit -v: 1600000 KB\) leaves no room for Shoebox's worker threads\. Raise it to at least \d+ KB/);
    assert.doesNotMatch(tight.stderr, STACK);
    const tiny = underLimit('-v 1000000', ['status'], lib);
    assert.equal(tiny.code, 8, tiny.stderr);
    assert.match(tiny.stderr, /\(ulimit -v: 1000000 KB\) is too low for Shoebox to run/);
  });

  it('EPIPE: `ls --json | head -1` and `status | head` end quietly with exit 0 and close the library cleanly', async () => {
    for (const args of [['--json', 'ls'], ['ls'], ['status'], ['--json', 'status']]) {
      const r = await withClosedStdout(args, library);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stderr, '', `${args.join(' ')} printed nothing on stderr`);
    }
    assert.deepEqual(fs.readdirSync(path.join(library, 'procs')), [], 'every process unregistered (closed cleanly)');
  });

  it('serve: a malformed escape is 400 and a NUL in the path is 404, not 500; browser uploads are staged in a private, unpredictable folder', async () => {
    const tmp = tempDir();
    const serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir(), TMPDIR: tmp });
    try {
      const cookie = { cookie: `sb_token=${serve.token}` };
      assert.equal((await request(serve.port, { path: '/%E0%A4%A', headers: cookie })).status, 400);
      assert.equal((await request(serve.port, { path: '/index.html%00.js', headers: cookie })).status, 404);
      assert.equal((await request(serve.port, { path: '/%00', headers: cookie })).status, 404);
      assert.equal((await request(serve.port, { path: '/', headers: cookie })).status, 200, 'the window is still served');
      const staging = fs.readdirSync(tmp).filter((n) => n.startsWith('shoebox-uploads-'));
      assert.equal(staging.length, 1, `one staging folder: ${staging.join(', ')}`);
      assert.notEqual(staging[0], `shoebox-uploads-${serve.child.pid}`, 'not named after the pid');
      assert.equal(fs.statSync(path.join(tmp, staging[0]!)).mode & 0o777, 0o700, 'owner-only');
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
    }
    assert.doesNotMatch(serve.output(), /internal error|\n\s+at /);
    assert.deepEqual(fs.readdirSync(tmp).filter((n) => n.startsWith('shoebox-uploads-')), [], 'removed at stop');
  });

  const nobody = unprivilegedUid();
  it('a stored blob Shoebox may not read: check --read-data names it and what to do; export calls it a read failure', { skip: nobody === undefined && process.getuid?.() === 0 ? 'needs a user other than root' : false }, async () => {
    const lib = path.join(tempDir(), 'lib-perm');
    const photos = path.join(tempDir(), 'Perm');
    writeTree(photos, { 'a.jpg': await jpeg('perm-a'), 'b.jpg': await jpeg('perm-b') });
    const as = nobody !== undefined ? { uid: nobody } : {};
    assert.equal((await runCli(['upload', photos], { library: lib, ...as })).code, 0);
    const rows = (await runCli(['--json', 'ls'], { library: lib, ...as })).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { name: string; hash: string });
    const a = rows.find((r) => r.name === 'a.jpg')!;
    const blob = path.join(lib, 'objects', a.hash.slice(0, 2), a.hash);
    fs.chmodSync(blob, 0o000);
    try {
      const check = await runCli(['check', '--read-data'], { library: lib, ...as });
      assert.equal(check.code, 5, check.stdout + check.stderr);
      assert.match(check.stdout, new RegExp(`✗ the stored bytes of a\\.jpg cannot be read: ${blob} \\(EACCES\\)\\n\\s+Shoebox may not read these stored bytes: give the library folder back`));
      assert.doesNotMatch(check.stdout + check.stderr, STACK);
      const exp = await runCli(['export', '--all', path.join(tempDir(), 'out')], { library: lib, ...as });
      assert.equal(exp.code, 3, exp.stdout + exp.stderr);
      assert.match(exp.stderr, /a\.jpg.*its stored bytes could not be read from the library \(.*EACCES\); run Shoebox as the user who owns the library/);
      assert.doesNotMatch(exp.stderr, /could not be written/);
    } finally {
      fs.chmodSync(blob, 0o444);
    }
  });
});
