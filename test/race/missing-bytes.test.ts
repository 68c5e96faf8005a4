// Issue #15 item 3: lost or damaged stored bytes must not hide. After objects/ vanished,
// `status` said "Errors none" and re-uploading the originals said "already backed up" without
// storing the bytes again. Real processes throughout.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, killStartedClis, runCli, startCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';

interface Status { missingBytes: number; damagedBytes: number }

async function photos(n: number, seed: string): Promise<{ root: string; library: string; src: string; bytes: Buffer[] }> {
  const root = tempDir('shoebox-bytes-');
  const bytes: Buffer[] = [];
  for (let i = 0; i < n; i++) bytes.push(await jpeg(`${seed}-${i}`, 4000));
  const src = path.join(root, 'Photos');
  writeTree(src, Object.fromEntries(bytes.map((b, i) => [`IMG_${i}.jpg`, b])));
  return { root, library: path.join(root, 'lib'), src, bytes };
}

const blobFile = (library: string, bytes: Buffer) => {
  const h = createHash('sha256').update(bytes).digest('hex');
  return path.join(library, 'objects', h.slice(0, 2), h);
};

async function status(library: string): Promise<{ text: string; json: Status }> {
  const text = await runCli(['status'], { library });
  const json = await runCli(['--json', 'status'], { library });
  assert.equal(text.code, 0, text.stderr);
  return { text: text.stdout, json: JSON.parse(json.stdout) as Status };
}

async function checkClean(library: string): Promise<void> {
  const r = JSON.parse((await runCli(['--json', 'check', '--read-data'], { library })).stdout) as { problems: unknown[] };
  assert.deepEqual(r.problems, []);
}

after(killStartedClis);

describe('stored bytes that are gone or damaged show, and backing up the originals again stores them', () => {
  it('objects/ vanished: status names the loss; a re-upload writes the bytes again instead of "already backed up"', { timeout: 120_000 }, async () => {
    const t = await photos(5, 'vanished');
    assert.equal((await runCli(['upload', t.src], { library: t.library })).code, 0);
    fs.rmSync(path.join(t.library, 'objects'), { recursive: true });

    const before = await status(t.library);
    assert.equal(before.json.missingBytes, 5);
    assert.match(before.text, /Errors +5 files have lost their stored bytes/);
    assert.doesNotMatch(before.text, /Errors +none/);

    const up = await runCli(['--json', 'upload', t.src], { library: t.library });
    assert.equal(up.code, 0, up.stderr);
    const s = JSON.parse(up.stdout) as { skipped: number; restored: number };
    assert.equal(s.skipped, 5, 'the files were already in the album');
    assert.equal(s.restored, 5, 'their bytes were stored again');
    for (const b of t.bytes) assert.deepEqual(fs.readFileSync(blobFile(t.library, b)), b);
    const after = await status(t.library);
    assert.equal(after.json.missingBytes, 0);
    assert.match(after.text, /Errors +none/);
    await checkClean(t.library);
  });

  it('damaged bytes found by a verifying read (export) show in status; a re-upload replaces them and keeps the damaged file in damaged/', { timeout: 120_000 }, async () => {
    const t = await photos(3, 'damaged');
    assert.equal((await runCli(['upload', t.src], { library: t.library })).code, 0);
    const victim = blobFile(t.library, t.bytes[1]!);
    const bad = Buffer.from(t.bytes[1]!);
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0xff; // same size: only reading every byte tells
    fs.writeFileSync(victim, bad);

    const exp = await runCli(['export', '--all', path.join(t.root, 'out')], { library: t.library });
    assert.equal(exp.code, 3, exp.stderr);
    assert.equal((await status(t.library)).json.damagedBytes, 1);

    const up = await runCli(['--json', 'upload', t.src], { library: t.library });
    assert.equal((JSON.parse(up.stdout) as { restored: number }).restored, 1);
    assert.deepEqual(fs.readFileSync(victim), t.bytes[1]);
    const kept = fs.readdirSync(path.join(t.library, 'damaged'));
    assert.equal(kept.length, 1);
    assert.deepEqual(fs.readFileSync(path.join(t.library, 'damaged', kept[0]!)), bad, 'the damaged bytes are kept, not deleted');
    assert.equal((await status(t.library)).json.damagedBytes, 0);
    await checkClean(t.library);
  });

  it('check --repair says where it moved a damaged blob', { timeout: 120_000 }, async () => {
    const t = await photos(2, 'repair');
    assert.equal((await runCli(['upload', t.src], { library: t.library })).code, 0);
    const victim = blobFile(t.library, t.bytes[0]!);
    fs.appendFileSync(victim, 'junk'); // the wrong size
    const r = await runCli(['check', '--repair'], { library: t.library });
    assert.equal(r.code, 0, r.stdout);
    const m = /the damaged file was moved to (\S+damaged\/[0-9a-f]{64}\.\d+);/.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.deepEqual(fs.readFileSync(m[1]!), Buffer.concat([t.bytes[0]!, Buffer.from('junk')]));
    assert.deepEqual(fs.readFileSync(victim), t.bytes[0]);
    await checkClean(t.library);
  });

  it('a watched file whose stored bytes are gone gets them back when it is synced again', { timeout: 120_000 }, async () => {
    const t = await photos(2, 'watched');
    assert.equal((await runCli(['watch', 'add', t.src], { library: t.library })).code, 0);
    fs.rmSync(blobFile(t.library, t.bytes[0]!));
    const file = path.join(t.src, 'IMG_0.jpg');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later); // touched: the same content, read again by the next sync
    const run = startCli(['run'], { library: t.library });
    await waitFor(() => fs.existsSync(blobFile(t.library, t.bytes[0]!)) || run.child.exitCode !== null, 60_000, 'the bytes to be stored again');
    run.child.kill('SIGTERM');
    assert.equal((await run.done).code, 0);
    assert.deepEqual(fs.readFileSync(blobFile(t.library, t.bytes[0]!)), t.bytes[0]);
    await checkClean(t.library);
  });

  it('run stores again the bytes of unchanged watched files once they are found gone (objects/ deleted)', { timeout: 120_000 }, async () => {
    const t = await photos(3, 'unchanged');
    assert.equal((await runCli(['watch', 'add', t.src], { library: t.library })).code, 0);
    fs.rmSync(path.join(t.library, 'objects'), { recursive: true });
    const run = startCli(['run'], { library: t.library });
    await waitFor(() => t.bytes.every((b) => fs.existsSync(blobFile(t.library, b))) || run.child.exitCode !== null, 60_000, 'the bytes to be stored again');
    run.child.kill('SIGTERM');
    assert.equal((await run.done).code, 0);
    for (const b of t.bytes) assert.deepEqual(fs.readFileSync(blobFile(t.library, b)), b);
    assert.equal((await status(t.library)).json.missingBytes, 0);
    await checkClean(t.library);
  });
});
