// The window at scale (issue #16; was the 50k-album test of issue #6): a timeline of 100,000 files
// over ~4 years and 1,000 albums. Only the rows on screen exist in the page, pages load as they
// come into view, any month is a jump away, the last file is reachable, and the album list stays
// a list you can search. Speed is measured in `npm run bench timeline`, not asserted here.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { tempDir } from '../support/fixtures.js';
import { openWindow, chromiumPath, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { syntheticLibrary } from '../support/synthetic-library.js';

const exe = chromiumPath();

/** Waits until the tile named `name` has keyboard focus (inside the grid's shadow root). */
async function focused(page: Page, name: string): Promise<void> {
  await page.getByRole('gridcell', { name, exact: true }).and(page.locator(':focus')).waitFor({ timeout: 20_000 });
}

describe('a timeline of 100,000 files and 1,000 albums in the window', { skip: exe ? false : 'Chromium is not installed (`.ci/setup test` installs it)' }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  let page: Page;
  before(async () => {
    const library = path.join(tempDir(), 'lib');
    await syntheticLibrary(library, { files: 100_000, groups: 0, albums: 1000, spacingMs: 20 * 60_000 });
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir() });
    ({ browser, page } = await openWindow(serve.url, { width: 1280, height: 800 }));
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('keeps only the visible rows in the page, jumps to any month, and reaches the last file', async (t) => {
    await page.getByText('100,000 files').waitFor({ timeout: 30_000 });
    await page.getByRole('img', { name: /^No preview for IMG_0\.jpg/ }).waitFor({ timeout: 30_000 });
    const tiles = await page.locator('sb-thumb').count();
    assert.ok(tiles > 10 && tiles < 400, `${tiles} tiles in the page for 100,000 files`);
    const months = await page.getByLabel('Jump to month').locator('option').allTextContents();
    assert.ok(months.length >= 40, `${months.length} months to jump to`);
    const oldest = months.at(-1)!;
    await page.getByLabel('Jump to month').selectOption(oldest);
    await page.getByRole('rowheader', { name: oldest, exact: true }).waitFor();
    // the oldest month starts at the top; End goes to the very last file
    await page.getByRole('gridcell').first().focus();
    await page.keyboard.press('End');
    await page.getByRole('img', { name: /^No preview for IMG_99999\.jpg/ }).waitFor({ timeout: 20_000 });
    await focused(page, 'IMG_99999.jpg');
    await page.keyboard.press('Home');
    await page.getByRole('img', { name: /^No preview for IMG_0\.jpg/ }).waitFor({ timeout: 20_000 });
    await focused(page, 'IMG_0.jpg');
    // keys pressed before the far row has rendered still land in the grid, and the last one wins
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    await focused(page, 'IMG_99999.jpg');
    await page.keyboard.press('Home');
    await focused(page, 'IMG_0.jpg');
    const middle = months[Math.floor(months.length / 2)]!;
    // a jump while a key's far row is still settling: the jump wins, nothing scrolls back
    await page.keyboard.press('End');
    await page.getByLabel('Jump to month').selectOption(middle);
    await page.getByRole('rowheader', { name: middle, exact: true }).waitFor();
    await page.evaluate('new Promise((resolve) => { let n = 0; const tick = () => (++n >= 60 ? resolve() : requestAnimationFrame(tick)); requestAnimationFrame(tick); })'); // 60 frames
    await page.getByRole('rowheader', { name: middle, exact: true }).waitFor({ timeout: 1000 });
    assert.ok((await page.locator('sb-thumb').count()) < 400);
    t.diagnostic(`${months.length} months; ${tiles} tiles in the page`);
  });

  it('the album list of 1,000 albums is virtualized and searchable', async () => {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Albums', exact: true }).click();
    const list = page.getByRole('list', { name: 'Albums' });
    await list.getByRole('button', { name: /^Album 0 100/ }).waitFor({ timeout: 20_000 });
    const shown = await list.getByRole('button').count();
    assert.ok(shown > 5 && shown < 150, `${shown} album rows in the page for 1,000 albums`);
    await page.getByRole('img', { name: /^No preview for IMG_/ }).first().waitFor();
    await screenshot(page, 'albums-1000');
    await page.getByLabel('Search albums').fill('Album 999');
    await list.getByRole('button', { name: /^Album 999 100/ }).click();
    await page.getByText('Album 999: 100 files').waitFor();
    await page.getByLabel('Search albums').fill('');
  });
});
