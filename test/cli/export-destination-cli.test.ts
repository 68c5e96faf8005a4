// Where `export` and `restore --to` may write: a destination that is not a folder is refused
// before any work, with what is in the way, instead of a stack trace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jpeg, killStartedClis, runCli, startCli, tempDir, writeTree, type CliRun } from '../support/fixtures.js';

const STACK = /\n\s+at .+:\d+:\d+/;

/** Runs the CLI, failing (and killing it) if it is still running after `ms`: a hang must fail the test, not stall it. */
async function runWithin(ms: number, args: string[], library: string): Promise<CliRun> {
  const { child, done } = startCli(args, { library });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shoebox ${args.join(' ')} was still running after ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('export and restore destinations', () => {
  after(killStartedClis);
  const library = path.join(tempDir(), 'lib');
  const src = path.join(tempDir(), 'Trip');
  before(async () => {
    writeTree(src, { 'Day 1/a.jpg': await jpeg('dest-a'), 'Day 1/b.jpg': await jpeg('dest-b') });
    const add = await runCli(['watch', 'add', src, '--mode', 'separate'], { library });
    assert.equal(add.code, 0, add.stderr);
  });

  it('a destination that is a file, or lies under one, is refused as not a folder (exit 7) and the file is left alone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'somefile');
    fs.writeFileSync(file, 'keep me');
    for (const args of [['export', 'Day 1', file], ['--json', 'export', 'Day 1', path.join(file, 'sub')], ['restore', src, '--to', file]]) {
      const r = await runCli(args, { library });
      assert.equal(r.code, 7, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /somefile is a file, not a folder/);
      assert.doesNotMatch(r.stderr, STACK);
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'keep me');
    assert.deepEqual(fs.readdirSync(dir), ['somefile']);
  });

  it("a file where an album's folder should be fails that album's photos one by one (exit 3), without a stack trace", async () => {
    const dest = tempDir();
    fs.writeFileSync(path.join(dest, 'Day 1'), 'in the way');
    const r = await runCli(['export', 'Day 1', dest], { library });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^Exported 0 of 2 files to .*2 could not be exported/, 'the headline counts only what was exported');
    assert.doesNotMatch(r.stderr, STACK);
    assert.equal(fs.readFileSync(path.join(dest, 'Day 1'), 'utf8'), 'in the way');
  });

  it('a destination in /proc, /sys or /dev (also through a symlink) is refused before any work (exit 2), instead of spinning forever in /proc', { skip: process.platform !== 'linux' && 'Linux kernel folders' }, async () => {
    const link = path.join(tempDir(), 'to-proc');
    fs.symlinkSync('/proc', link);
    for (const args of [['export', 'Day 1', '/proc/x'], ['export', 'Day 1', '/proc/1/x'], ['export', 'Day 1', '/sys/x'], ['export', 'Day 1', path.join(link, 'x')], ['restore', src, '--to', '/proc/x']]) {
      const r = await runWithin(20_000, args, library);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /is in \/(proc|sys), a folder of the operating system .*Shoebox cannot (export|restore) there/);
      assert.doesNotMatch(r.stderr, /progress:/, 'refused before any work');
    }
    const lib = await runWithin(20_000, ['upload', src], '/proc/x');
    assert.equal(lib.code, 2, lib.stderr);
    assert.match(lib.stderr, /\/proc\/x is in \/proc, .*cannot keep a library there/);
  });

  it('the top of the file system and the system\'s own folders (/usr, /etc…) are refused as destinations, also through a symlink; nothing is written (helper-49: `export --all /` made album folders in /)', { skip: process.platform !== 'linux' && 'Linux folders' }, async () => {
    const link = path.join(tempDir(), 'to-root');
    fs.symlinkSync('/', link);
    const before = fs.readdirSync('/').sort();
    try {
      const etc = path.join(tempDir(), 'to-etc');
      fs.symlinkSync('/etc', etc);
      for (const args of [['export', '--all', '/'], ['export', 'Day 1', link], ['export', 'Day 1', '/usr'], ['export', 'Day 1', '/etc'], ['restore', src, '--to', '/'],
        ['export', 'Day 1', '/usr/share'], ['export', 'Day 1', path.join(etc, 'shoebox-test-new')], ['restore', src, '--to', path.join(etc, 'shoebox-test-new')]]) {
        const r = await runWithin(20_000, args, library);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /is (the top of the file system|\/(usr|etc), a folder of the operating system's own files|in \/(usr|etc), the operating system's own files): Shoebox does not (export|restore) there/);
      }
      assert.equal(fs.existsSync('/etc/shoebox-test-new'), false);
      assert.deepEqual(fs.readdirSync('/').sort(), before, 'nothing written at the top of the file system');
    } finally {
      // should the refusal ever fail, leave no album folder in / behind
      for (const name of fs.readdirSync('/')) if (!before.includes(name) && name === 'Day 1') fs.rmSync(path.join('/', name), { recursive: true, force: true });
      fs.rmSync('/etc/shoebox-test-new', { recursive: true, force: true });
    }
  });
});
