// Settings → Free up space in the window (issue #20), through `shoebox serve` and a real browser:
// review a watched folder (watched live by serve's engine) where one library copy is damaged and
// one file is not a photo (never backed up); the review says what can be freed and why the rest
// stays; confirm moves the verified ones to the Trash and leaves the others. (A photo edited after
// its backup is backed up again by the running watch: the CLI and engine tests cover that reason.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { blobPath } from '../../main/core/blobs/blob-store.js';
import { jpeg, parseLines, runCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
import { chromiumPath, openWindow, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';

const exe = chromiumPath();

describe('Free up space in the window', { skip: exe ? false : 'Chromium is not installed (`.ci/setup test` installs it)' }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  const library = path.join(tempDir(), 'lib');
  const root = path.join(tempDir(), 'Pictures');
  const data = path.join(tempDir(), 'data');
  before(async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 1; i <= 6; i++) files[`${i <= 3 ? '2023 Lisbon' : '2024 Alps'}/IMG_${1000 + i}.jpg`] = await jpeg(`window-fu-${i}`, 40_000 * i);
    writeTree(root, files);
    assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library })).code, 0);
    const rows = parseLines<{ name: string; hash: string }>((await runCli(['--json', 'ls'], { library })).stdout);
    fs.writeFileSync(blobPath(path.join(library, 'objects'), rows.find((r) => r.name === 'IMG_1002.jpg')!.hash), 'damaged');
    fs.writeFileSync(path.join(root, '2024 Alps/notes.txt'), 'packing list');
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir(), XDG_DATA_HOME: data });
    ({ browser, page } = await openWindow(serve.url));
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('reviews, shows what is kept and why, and moves only the verified photos to the Trash', async () => {
    await page.getByRole('button', { name: 'Free up space' }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText('5 files can be freed').waitFor({ timeout: 60_000 });
    const damaged = page.getByRole('region', { name: "Kept: its library copy is damaged" });
    await damaged.getByText('IMG_1002.jpg').waitFor();
    await page.getByRole('region', { name: /^Kept: not a photo or video/ }).getByText('notes.txt').waitFor();
    await page.getByRole('cell', { name: /2023 Lisbon$/ }).waitFor();
    assert.equal(await page.getByRole('region', { name: /^Kept:/ }).first().getAttribute('aria-label'), 'Kept: its library copy is damaged', 'a damaged library copy is shown before files that were never backed up');
    await screenshot(page, 'free-up-review');
    await page.getByRole('button', { name: 'Move 5 files to the Trash' }).click();
    await page.getByText('Freed 5 files').waitFor({ timeout: 60_000 });
    await screenshot(page, 'free-up-done');
    assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/files')).sort(), ['IMG_1001.jpg', 'IMG_1003.jpg', 'IMG_1004.jpg', 'IMG_1005.jpg', 'IMG_1006.jpg']);
    assert.deepEqual(fs.readdirSync(path.join(root, '2023 Lisbon')), ['IMG_1002.jpg']);
    assert.deepEqual(fs.readdirSync(path.join(root, '2024 Alps')), ['notes.txt']);
    await page.getByText('Freed so far: 5 files').waitFor();
    // The running watch took them for freed: every photo is still in its album. (Events come in
    // order: once a photo written now is backed up and nothing waits, the moves were seen.)
    fs.writeFileSync(path.join(root, '2024 Alps/later.jpg'), await jpeg('window-fu-later'));
    await waitFor(async () => {
      const s = JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { sync: { queued: number } | null };
      return s.sync?.queued === 0 && parseLines<{ name: string }>((await runCli(['--json', 'ls'], { library })).stdout).some((r) => r.name === 'later.jpg');
    }, 30_000, 'later.jpg backed up and nothing waiting');
    const albums = parseLines<{ album: string }>((await runCli(['--json', 'ls'], { library })).stdout).map((r) => r.album);
    assert.deepEqual([albums.filter((a) => a === '2023 Lisbon').length, albums.filter((a) => a === '2024 Alps').length, albums.length], [3, 4, 7]);
  });
});
