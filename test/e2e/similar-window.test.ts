// Settings → Similar images in the window (issue #8): index, find groups, keep the best, apply;
// the album that held the removed copies keeps the scene.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { runCli, tempDir } from '../support/fixtures.js';
import { realPhotosDir } from '../support/real-photos.js';
import { chromiumPath, openWindow, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { similarFixtures } from '../support/similar-fixtures.js';

const exe = chromiumPath();
const photos = realPhotosDir();
const skip = !exe ? 'Chromium is not installed (`.ci/setup test` installs it)' : 'missing' in photos ? photos.missing : false;

describe('Similar images in the window', { skip }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const library = path.join(tempDir(), 'lib');
  before(async () => {
    const labels = await similarFixtures('dir' in photos ? photos.dir : '', path.join(tempDir(), 'fx'));
    const root = tempDir();
    for (const l of labels.filter((x) => ['chelsea', 'coffee'].includes(x.group))) {
      const album = l.transform === 'original' ? 'Camera' : 'Edits';
      fs.mkdirSync(path.join(root, album), { recursive: true });
      fs.copyFileSync(l.file, path.join(root, album, path.basename(l.file)));
    }
    for (const a of ['Camera', 'Edits']) assert.equal((await runCli(['upload', path.join(root, a)], { library })).code, 0);
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir() });
    ({ browser, page } = await openWindow(serve.url));
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('finds the two scenes, keeps the best of each, and the albums keep their scene', async () => {
    await page.getByRole('button', { name: 'Similar images' }).click();
    await page.getByRole('button', { name: 'Find similar images' }).click();
    const groups = page.getByRole('region', { name: /Similar group/ });
    await groups.first().waitFor({ timeout: 60_000 });
    assert.equal(await groups.count(), 2);
    await screenshot(page, 'similar-review');
    await page.getByRole('button', { name: /Move 12 images to Trash/ }).click();
    await page.getByText(/Done: 12 images moved to Trash/).waitFor();
    const rows = (await runCli(['--json', 'ls'], { library })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { album: string; name: string });
    assert.equal(rows.filter((r) => r.album === 'Camera').length, 2, 'Camera still shows both scenes');
    assert.equal(rows.filter((r) => r.album === 'Edits').length, 2, 'Edits still shows both scenes');
  });
});
