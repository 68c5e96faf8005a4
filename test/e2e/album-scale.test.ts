// The Albums grid with 50,000 files (issue #6): virtualized (only visible tiles exist in the
// page), pages fetched as they come into view, the last file reachable by scrolling. Also the
// dark theme, screenshotted.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright';
import sharp from 'sharp';
import { tempDir } from '../support/fixtures.js';
import { CHROMIUM_ARGS, chromiumPath, startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { syntheticLibrary } from '../support/synthetic-library.js';

const exe = chromiumPath();

describe('an album of 50,000 files in the window', { skip: exe ? false : 'Chromium is not installed (`.ci/setup test` installs it)' }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  before(async () => {
    const library = path.join(tempDir(), 'lib');
    await syntheticLibrary(library, { files: 50_000, groups: 0, albums: 1 });
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir() });
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('keeps only the visible tiles in the page and scrolls to the last file', async (t) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    await page.goto(serve.url);
    await page.getByText('Everything: 50000 files').waitFor();
    await page.getByRole('img', { name: /^No preview for IMG_0\.jpg/ }).waitFor();
    const tiles = await page.locator('sb-thumb').count();
    assert.ok(tiles > 10 && tiles < 400, `${tiles} tiles in the page for 50,000 files`);
    const started = Date.now();
    await page.locator('.grid').evaluate((el: { scrollTop: number; scrollHeight: number }) => (el.scrollTop = el.scrollHeight));
    await page.getByRole('img', { name: /^No preview for IMG_49999\.jpg/ }).waitFor({ timeout: 15_000 });
    t.diagnostic(`scrolled to the last of 50,000 files in ${Date.now() - started} ms; ${tiles} tiles in the page`);
    assert.ok((await page.locator('sb-thumb').count()) < 400);
    const file = path.resolve('test-results', 'screenshots', 'albums-50k-dark.png');
    await page.screenshot({ path: file });
    const { channels } = await sharp(file).stats();
    assert.ok(channels[0]!.mean < 100, 'the dark theme is dark');
  });
});
