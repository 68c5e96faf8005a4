// A copy into a watched folder that stalls for longer than the settle window (a slow USB stick,
// a network share): the cut-off photo must not be backed up ([Note: A file still being written]).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { it } from 'node:test';
import sharp from 'sharp';
import { jpeg, parseLines, runCli, spawnCli, tempDir, waitFor } from '../support/fixtures.js';

interface Row { album: string; name: string; size: number }

it('run: a photo whose copy stalls halfway is backed up once, whole, when the rest arrives; no cut-off versions', async () => {
  const library = path.join(tempDir(), 'lib');
  const root = path.join(tempDir(), 'Photos');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'a.jpg'), await jpeg('stall-a'));
  assert.equal((await runCli(['watch', 'add', root], { library })).code, 0);
  const whole = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg().toBuffer();
  const child = spawnCli(['run'], { library });
  const exited = once(child, 'exit');
  const rows = async () => parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout);
  try {
    await waitFor(async () => /Engine\s+running .*All backed up/.test((await runCli(['status'], { library })).stdout), 15_000, 'engine running');
    // The copy stalls after the first half. A file written after it settles after it: once that
    // one is backed up, the engine has had the stalled file in hand past its settle window too.
    fs.writeFileSync(path.join(root, 'stall.jpg'), whole.subarray(0, whole.length >> 1));
    fs.writeFileSync(path.join(root, 'later.jpg'), await jpeg('stall-later'));
    await waitFor(async () => (await rows()).some((r) => r.name === 'later.jpg'), 15_000, 'later.jpg backed up');
    assert.equal((await rows()).some((r) => r.name === 'stall.jpg'), false, 'the cut-off half is not backed up');
    fs.appendFileSync(path.join(root, 'stall.jpg'), whole.subarray(whole.length >> 1));
    await waitFor(async () => (await rows()).some((r) => r.name === 'stall.jpg'), 15_000, 'stall.jpg backed up once whole');
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  const stalled = (await rows()).filter((r) => r.name === 'stall.jpg');
  assert.deepEqual(stalled.map((r) => [r.album, r.size]), [['Photos', whole.length]], 'one library file, whole, in its album');
  assert.equal((await rows()).length, 3, 'a.jpg, later.jpg, stall.jpg: no cut-off copy anywhere (Uncategorized included)');
});

it('run: a photo still being copied when run starts is held by the start-up scan too, and backed up once, whole', async () => {
  const library = path.join(tempDir(), 'lib');
  const root = path.join(tempDir(), 'Photos');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'a.jpg'), await jpeg('scan-a'));
  assert.equal((await runCli(['watch', 'add', root], { library })).code, 0);
  const whole = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 50 } } }).jpeg().toBuffer();
  // While Shoebox is not running, a copy starts and stalls halfway; another photo arrives whole.
  fs.writeFileSync(path.join(root, 'stall.jpg'), whole.subarray(0, whole.length >> 1));
  fs.writeFileSync(path.join(root, 'b.jpg'), await jpeg('scan-b'));
  const child = spawnCli(['run'], { library });
  const exited = once(child, 'exit');
  const rows = async () => parseLines<Row & { fileId: number }>((await runCli(['--json', 'ls'], { library })).stdout);
  try {
    // b.jpg is backed up by the same start-up scan that found the cut-off stall.jpg.
    await waitFor(async () => (await rows()).some((r) => r.name === 'b.jpg'), 15_000, 'b.jpg backed up by the start-up scan');
    assert.equal((await rows()).some((r) => r.name === 'stall.jpg'), false, 'the cut-off half is not backed up');
    fs.appendFileSync(path.join(root, 'stall.jpg'), whole.subarray(whole.length >> 1));
    await waitFor(async () => (await rows()).some((r) => r.name === 'stall.jpg'), 15_000, 'stall.jpg backed up once whole');
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  const stalled = (await rows()).filter((r) => r.name === 'stall.jpg');
  assert.deepEqual(stalled.map((r) => [r.album, r.size]), [['Photos', whole.length]], 'one library file, whole, in its album');
  const versions = JSON.parse((await runCli(['--json', 'history', String(stalled[0]!.fileId)], { library })).stdout) as Array<{ size: number }>;
  assert.deepEqual(versions.map((v) => v.size), [whole.length], 'no cut-off earlier version');
  assert.equal((await rows()).length, 3, 'a.jpg, b.jpg, stall.jpg: no cut-off copy anywhere');
});
