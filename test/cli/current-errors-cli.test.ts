// Status counts files that could not be backed up, not attempts, and forgets a file once it is
// backed up or gone ([Note: Current errors]).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { it } from 'node:test';
import { jpeg, runCli, spawnCli, tempDir, waitFor } from '../support/fixtures.js';

it('status: each failing file counts once however often it is tried, and not once it is fixed or deleted', async () => {
  const library = path.join(tempDir(), 'lib');
  const root = path.join(tempDir(), 'Photos');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'a.jpg'), await jpeg('errors-a'));
  fs.writeFileSync(path.join(root, 'empty1.jpg'), '');
  fs.writeFileSync(path.join(root, 'empty2.jpg'), '');
  const added = await runCli(['watch', 'add', root], { library });
  assert.equal(added.code, 3, 'partly backed up');
  assert.match(added.stderr, /2 files could not be backed up:\n  ✗ .*empty1\.jpg: empty1\.jpg is empty \(0 bytes\).*\n  ✗ .*empty2\.jpg: /, 'named, as upload names them');
  const status = async () => JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { errors: number; recentErrors: Array<{ path: string | null }> };
  assert.equal((await status()).errors, 2);
  // `run` tries the failed files again at its start: still two files.
  const child = spawnCli(['run'], { library });
  const exited = once(child, 'exit');
  try {
    await waitFor(async () => /Engine\s+running/.test((await runCli(['status'], { library })).stdout), 15_000, 'engine running');
    await runCli(['pause'], { library });
    await runCli(['resume'], { library }); // one more catch-up pass
    const s = await status();
    assert.equal(s.errors, 2, 'two files, however many tries');
    assert.deepEqual(s.recentErrors.map((e) => path.basename(e.path ?? '')).sort(), ['empty1.jpg', 'empty2.jpg'], 'listed once each');
    fs.writeFileSync(path.join(root, 'empty1.jpg'), await jpeg('errors-fixed'));
    await waitFor(async () => (await status()).errors === 1, 15_000, 'the fixed file no longer counts');
    fs.rmSync(path.join(root, 'empty2.jpg'));
    await waitFor(async () => (await status()).errors === 0, 15_000, 'the deleted file no longer counts');
  } finally {
    child.kill('SIGINT');
    await exited;
  }
});

it('status: a file an upload could not back up is forgotten once deleted, not while its folder is gone (a drive not mounted); --dismiss-errors forgets the rest', async () => {
  const library = path.join(tempDir(), 'lib');
  const here = path.join(tempDir(), 'Here');
  const drive = path.join(tempDir(), 'Drive', 'Card');
  fs.mkdirSync(here);
  fs.mkdirSync(drive, { recursive: true });
  fs.writeFileSync(path.join(here, 'empty.jpg'), '');
  fs.writeFileSync(path.join(drive, 'empty.jpg'), '');
  assert.equal((await runCli(['upload', here], { library })).code, 3);
  assert.equal((await runCli(['upload', drive], { library })).code, 3);
  const listed = async () => (JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { recentErrors: Array<{ path: string | null }> }).recentErrors.map((e) => e.path);
  assert.deepEqual((await listed()).sort(), [path.join(drive, 'empty.jpg'), path.join(here, 'empty.jpg')].sort());
  fs.rmSync(path.join(here, 'empty.jpg'));
  fs.rmSync(drive, { recursive: true }); // the card's folder is gone as a whole: maybe only unmounted
  assert.deepEqual(await listed(), [path.join(drive, 'empty.jpg')], 'the deleted file no longer counts; the one on the missing drive does');
  // a watched file that failed and was deleted while no engine runs: forgotten too; the text names its path
  const watched = path.join(tempDir(), 'Watched');
  fs.mkdirSync(watched);
  fs.writeFileSync(path.join(watched, 'empty.jpg'), '');
  assert.equal((await runCli(['watch', 'add', watched], { library })).code, 3);
  const text = (await runCli(['status'], { library })).stdout;
  assert.ok(text.includes(`empty.jpg is empty (0 bytes); there is nothing to back up [FILE_EMPTY]\n      ${path.join(watched, 'empty.jpg')}\n`), text);
  fs.rmSync(path.join(watched, 'empty.jpg'));
  assert.deepEqual(await listed(), [path.join(drive, 'empty.jpg')]);
  const dismissed = await runCli(['status', '--dismiss-errors'], { library });
  assert.equal(dismissed.code, 0);
  assert.match(dismissed.stdout, /^Dismissed 1 problem; a file still in trouble is listed again at its next try\.\n/);
  assert.match(dismissed.stdout, /Errors +none/);
  assert.deepEqual(await listed(), []);
  assert.match((await runCli(['status', '--dismiss-errors'], { library })).stdout, /^No problems to dismiss\./);
});
