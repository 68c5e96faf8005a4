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
  await runCli(['watch', 'add', root], { library });
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
