// Thumbnails arrive in viewport order (issue #16): on a big timeline the window fetches the
// thumbnails of the tiles on screen first, top-left to bottom-right, and after a jump far away
// it fetches the new screen's before anything of the screen it left. Deterministic by
// construction: every thumbnail request is held by the test (Playwright routing) and answered
// only when the test says, so the order is read off the requests, with no timing involved.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page, type Route } from 'playwright';
import sharp from 'sharp';
import { tempDir } from '../support/fixtures.js';
import { CHROMIUM_ARGS, chromiumPath, startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { syntheticLibrary } from '../support/synthetic-library.js';

const exe = chromiumPath();
/** ThumbLoader.CONCURRENCY (renderer/data/thumb-loader.ts): thumbnails fetched at once. */
const AT_ONCE = 6;

/** File ids of the grid's tiles that are on screen (inside the scroller), in grid order. */
async function visibleTiles(page: Page): Promise<number[]> {
  type Rect = { top: number; bottom: number; left: number; right: number };
  type El = { getBoundingClientRect(): Rect; getAttribute(n: string): string | null; querySelector(s: string): unknown };
  const box = await page.locator('sb-photo-grid lit-virtualizer').evaluate((v) => {
    const r = (v as unknown as El).getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });
  const tiles = await page.locator('sb-photo-grid .tile').evaluateAll((els) => els.map((e) => {
    const el = e as unknown as El;
    const r = el.getBoundingClientRect();
    const thumb = el.querySelector('sb-thumb') as { file: { fileId: number } | null };
    return { index: Number(el.getAttribute('data-index')), fileId: thumb.file?.fileId ?? 0, top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  }));
  return tiles
    .filter((t) => t.bottom > box.top && t.top < box.bottom && t.right > box.left && t.left < box.right)
    .sort((a, b) => a.index - b.index)
    .map((t) => t.fileId);
}

describe('thumbnails in viewport order', { skip: exe ? false : 'Chromium is not installed (`.ci/setup test` installs it)' }, () => {
  let serve: ServeProcess;
  let browser: Browser;
  const held: Array<{ fileId: number; route: Route }> = [];
  const requested: number[] = [];
  let webp: Buffer;

  before(async () => {
    const library = path.join(tempDir(), 'lib');
    await syntheticLibrary(library, { files: 5000, groups: 0, albums: 1, spacingMs: 20 * 60_000 });
    webp = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#58a' } }).webp().toBuffer();
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir() });
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  /** Waits until `n` thumbnail requests are held. */
  async function heldCount(page: Page, n: number): Promise<void> {
    for (let i = 0; held.length < n; i++) {
      assert.ok(i < 600, `only ${held.length} thumbnail requests came, expected ${n}`);
      await page.waitForTimeout(50);
    }
  }

  /** Answers every held request; returns how many. */
  async function release(): Promise<number> {
    const now = held.splice(0);
    for (const h of now) await h.route.fulfill({ status: 200, contentType: 'image/webp', body: webp });
    return now.length;
  }

  it('fetches the tiles on screen first, in order, and after a jump the new screen before anything of the old', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.route('**/media/thumb/**', (route) => {
      const fileId = Number(/\/media\/thumb\/(\d+)/.exec(route.request().url())![1]);
      requested.push(fileId);
      held.push({ fileId, route });
    });
    await page.goto(serve.url);
    await page.getByRole('img', { name: /^IMG_0\.jpg/ }).waitFor({ timeout: 30_000 });
    await heldCount(page, AT_ONCE);
    const first = await visibleTiles(page);
    assert.ok(first.length > 2 * AT_ONCE, `${first.length} tiles on screen`);
    assert.deepEqual(requested, first.slice(0, AT_ONCE), 'the first tiles on screen, in order');

    // Jump far away while those are still on their way: the rest of the first screen is not fetched.
    const months = await page.getByLabel('Jump to month').locator('option').allTextContents();
    const far = months[Math.floor(months.length / 2)]!;
    await page.getByLabel('Jump to month').selectOption(far);
    await page.getByRole('rowheader', { name: far, exact: true }).waitFor();
    await page.locator('.tile[aria-label^="IMG_"]').first().waitFor();
    // every tile of the new screen bound to its file (under load the page of files behind some
    // comes a little later, and a tile without its file, id 0, has no thumbnail to fetch yet)
    let screen = await visibleTiles(page);
    for (let i = 0; screen.length === 0 || screen.includes(0); i++) {
      assert.ok(i < 600, `tiles still without their file: ${JSON.stringify(screen)}`);
      await page.waitForTimeout(50);
      screen = await visibleTiles(page);
    }
    assert.ok(screen.length > 2 * AT_ONCE && screen.every((id) => !first.includes(id)), 'a new screen of tiles');

    const before = requested.length;
    let answered = await release();
    while (requested.length - before < screen.length) {
      await heldCount(page, 1);
      answered += await release();
    }
    assert.deepEqual(requested.slice(before, before + screen.length), screen, 'the new screen, in order, before anything else');
    assert.ok(answered >= AT_ONCE + screen.length - AT_ONCE);
    const fromFirst = requested.slice(AT_ONCE).filter((id) => first.includes(id));
    assert.deepEqual(fromFirst, [], 'nothing more of the screen left behind');
    await page.close();
  });
});
