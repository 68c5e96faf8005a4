// Settings → Similar images in the window (issues #8, #17): index, find groups, the reference
// marked with why it is the best shot, near-identical groups selected and looser ones for
// review, compare side by side, apply, undo; the album that held the removed copies keeps the scene.
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
      // one very long name: it must never overflow its card
      const name = l.group === 'chelsea' && l.transform === 'brighter' ? `chelsea-brighter-exported-from-the-phone-gallery-app-${'x'.repeat(80)}.jpg` : path.basename(l.file);
      fs.copyFileSync(l.file, path.join(root, album, name));
    }
    for (const a of ['Camera', 'Edits']) assert.equal((await runCli(['upload', path.join(root, a)], { library })).code, 0);
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir() });
    ({ browser, page } = await openWindow(serve.url));
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('shows each group with its reference and why, selects only near-identical groups, compares, applies and undoes', async () => {
    await page.getByRole('button', { name: 'Similar images' }).click();
    await page.getByRole('button', { name: 'Find similar images' }).click();
    const groups = page.getByRole('region', { name: /Similar group/ });
    await groups.first().waitFor({ timeout: 60_000 });
    const n = await groups.count();
    assert.ok(n >= 2, 'both scenes are found (an edit not alike enough to every member forms its own group)');
    assert.equal(await page.getByText(/% alike/).filter({ hasText: '100%' }).count(), 0, 'the reference is not "100% alike"');
    assert.equal(await page.getByText('Reference', { exact: true }).count(), n, 'each group marks its reference');
    assert.ok(await page.getByText(/best shot: (has camera metadata|sharper|larger|older file|larger file|better exposed|first)/).first().isVisible());
    // names never overflow: every card's content fits its card
    // (Playwright's locators pierce shadow roots; each card measured in the page)
    const widths = await page.locator('sb-similar-review .image').evaluateAll((els: Array<{ scrollWidth: number; clientWidth: number }>) => els.map((e) => [e.scrollWidth, e.clientWidth] as [number, number]));
    assert.ok(widths.length >= 14, `${widths.length} cards`);
    const overflow = widths.filter(([scroll, client]) => scroll > client + 1).length;
    assert.equal(overflow, 0, 'no card is wider than its column');
    await screenshot(page, 'similar-review');
    // selection: near-identical groups only
    let selected = 0;
    for (const g of await groups.all()) if (await g.locator('input[type=checkbox]').first().isChecked()) selected++;
    const near = await page.getByText('Near-identical', { exact: true }).count();
    assert.equal(selected, near);
    // compare
    await page.getByRole('button', { name: 'Compare with reference' }).first().click();
    const compare = page.getByRole('region', { name: 'Compare images' });
    await compare.getByRole('img').nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await compare.getByRole('img').count(), 2);
    await screenshot(page, 'similar-compare');
    await compare.getByRole('button', { name: 'Close compare' }).click();
    // from the last card, far down the page: the compare view opens on screen, not above it out of sight
    await page.getByRole('button', { name: 'Compare with reference' }).last().click();
    await compare.getByRole('img').nth(1).waitFor({ timeout: 30_000 });
    const onScreen = await compare.evaluate((el: { getBoundingClientRect(): { top: number; bottom: number } }) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.top < (globalThis as unknown as { innerHeight: number }).innerHeight;
    });
    assert.ok(onScreen, 'the compare view is on screen');
    await compare.getByRole('button', { name: 'Close compare' }).click();
    // select every group, apply, undo
    for (const g of await groups.all()) await g.locator('input[type=checkbox]').first().check();
    const moving = await page.getByText(/^\d+ images in \d+ groups|groups selected/).first().textContent();
    const count = Number(/: (\d+) images to Trash/.exec(moving ?? '')?.[1]);
    assert.ok(count >= 10, moving ?? '');
    await page.getByRole('button', { name: `Move ${count} images to Trash` }).click();
    await page.getByText(`Done: ${count} images moved to Trash`).waitFor();
    const rows = (await runCli(['--json', 'ls'], { library })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { album: string; name: string });
    for (const album of ['Camera', 'Edits']) {
      const names = rows.filter((r) => r.album === album).map((r) => r.name).join(' ');
      assert.ok(names.includes('chelsea') && names.includes('coffee'), `${album} still shows both scenes: ${names}`);
    }
    // the Undo is still offered after leaving the view and coming back
    const nav = page.getByRole('navigation', { name: 'Views' });
    await nav.getByRole('button', { name: 'Albums', exact: true }).click();
    await nav.getByRole('button', { name: 'Similar images', exact: true }).click();
    await page.getByText(`moved ${count} images to Trash; it can still be undone.`).waitFor();
    await page.getByRole('button', { name: 'Undo it' }).click();
    await page.getByText(`Undone: ${count} images are back in their albums.`).waitFor();
    const after = (await runCli(['--json', 'ls'], { library })).stdout.trim().split('\n');
    assert.equal(after.length, 14, 'every image is back in its album, and the kept ones left the albums they joined');
  });
});
