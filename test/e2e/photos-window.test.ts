// The window as a photo app (issue #16), in Debian's Chromium against `shoebox serve`: the All
// photos timeline by capture date, the viewer with its info panel, HEIC through a decoded preview,
// video posters and playback streamed with range requests, a corrupt video's placeholder,
// selection with its bar, albums made and renamed, 800×600, the dark theme, and the disconnected
// state. Screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { runCli, tempDir, writeTree } from '../support/fixtures.js';
import { corruptMp4, haveHeifEnc, heic, mp4, photo, realDng } from '../support/media-fixtures.js';
import { chromiumPath, openWindow, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';

const exe = chromiumPath();

/** Waits until the open viewer's image or video satisfies a check (Playwright's locators reach into shadow roots). */
async function viewerMedia<T>(page: Page, tag: 'img' | 'video', check: (el: T) => boolean, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  const el = page.locator(tag === 'img' ? 'sb-viewer img.main' : 'sb-viewer video');
  while (!(await el.evaluate(check as (e: unknown) => boolean).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`the viewer's ${tag} did not get there in ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

type Img = { complete: boolean; naturalWidth: number };

const skip = exe ? false : 'Chromium is not installed (Debian package chromium; `.ci/setup test` installs it)';

describe('the window as a photo app', { skip }, () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  const library = path.join(tempDir(), 'lib');
  const env = { SHOEBOX_CONFIG_DIR: tempDir() };
  const root = tempDir();
  let dng: Buffer | undefined;

  before(async () => {
    const files: Record<string, Buffer> = {
      'Trip/beach.jpg': await photo(2400, 1600, '2024:08:03 14:05:01', '#2a7ab0'),
      'Trip/dunes.jpg': await photo(1600, 2400, '2024:08:03 09:00:00', '#d9a441'),
      'Trip/boat.jpg': await photo(1200, 800, '2024:07:20 18:30:00', '#3b8a5a'),
      'Home/cake.jpg': await photo(800, 600, '2023:12:24 20:00:00', '#9c3d54', { make: 'Apple', model: 'iPhone 12' }),
      'Home/IMG_20190402_101010.jpg': await photo(640, 480, '', '#777'),
      'Home/clip.mp4': mp4(3, { createdAt: '2022-05-01T08:00:00Z' }),
      'Home/broken.mp4': corruptMp4(),
    };
    if (haveHeifEnc()) {
      files['Home/phone.heic'] = await heic(800, 600, '#6a3');
      files['Home/big.heic'] = await heic(3200, 2400, '#a36', 320); // larger than a display copy, with a stored thumbnail as phones write
    }
    dng = await realDng(480, 320, '#3a6ea5');
    if (dng) files['Home/camera.dng'] = dng;
    writeTree(root, files);
    if (dng) fs.utimesSync(path.join(root, 'Home/camera.dng'), new Date('2021-03-03T12:00:00'), new Date('2021-03-03T12:00:00'));
    // no metadata date in the HEIC heif-enc makes: its modification time stands in
    if (files['Home/phone.heic']) fs.utimesSync(path.join(root, 'Home/phone.heic'), new Date('2021-03-05T12:00:00'), new Date('2021-03-05T12:00:00'));
    if (files['Home/big.heic']) fs.utimesSync(path.join(root, 'Home/big.heic'), new Date('2021-03-04T12:00:00'), new Date('2021-03-04T12:00:00'));
    fs.utimesSync(path.join(root, 'Home/broken.mp4'), new Date('2020-01-01T12:00:00'), new Date('2020-01-01T12:00:00'));
    for (const a of ['Trip', 'Home']) assert.equal((await runCli(['upload', path.join(root, a)], { library })).code, 0);
    serve = await startServeProcess(library, env);
    ({ browser, page } = await openWindow(serve.url, { width: 1280, height: 860 }));
    // the back-fill dates every file in the background; the timeline re-reads as it goes
    await page.getByRole('rowheader', { name: 'August 2024', exact: true }).waitFor({ timeout: 30_000 });
    for (const month of ['April 2019', 'May 2022', 'January 2020']) await page.getByRole('rowheader', { name: month, exact: true }).waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  it('the timeline shows every file newest first, in days under month headings, and jumps to a month', async () => {
    const headings = await page.getByRole('rowheader').allTextContents();
    const months = headings.filter((h) => /^[A-Z][a-z]+ \d{4}$/.test(h));
    assert.deepEqual(months.slice(0, 3), ['August 2024', 'July 2024', 'December 2023'], 'newest first');
    assert.ok(headings.some((h) => /^Saturday,? 3 August 2024$/.test(h)), 'a day heading');
    await page.getByRole('img', { name: /beach\.jpg, 2400×1600/ }).waitFor();
    await screenshot(page, 'timeline');
    await page.getByLabel('Jump to month').selectOption('April 2019');
    await page.getByRole('img', { name: /IMG_20190402_101010\.jpg/ }).waitFor();
  });

  it('the viewer opens on click, moves with ←/→, shows the info panel, closes with Esc', async () => {
    await page.getByRole('img', { name: /^beach\.jpg/ }).click();
    const viewer = page.getByRole('dialog', { name: 'Viewer: beach.jpg' });
    await viewer.waitFor();
    const img = viewer.getByRole('img', { name: 'beach.jpg' });
    await img.waitFor();
    await viewerMedia(page, 'img', (el: Img) => el.complete && el.naturalWidth === 2400);
    await page.keyboard.press('i');
    const info = viewer.getByRole('complementary', { name: 'Info' });
    await info.getByText('3 August 2024 at 14:05').waitFor();
    await info.getByText('from the photo’s metadata (EXIF)').waitFor();
    await info.getByText('Canon EOS R6').waitFor();
    await info.getByText('2400 × 1600').waitFor();
    await info.getByText(path.join(root, 'Trip', 'beach.jpg')).waitFor();
    await screenshot(page, 'viewer-info');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: 'Viewer: dunes.jpg' }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('dialog', { name: 'Viewer: beach.jpg' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('a date found only in the file name says so', async () => {
    await page.getByLabel('Jump to month').selectOption('April 2019'); // only the rows on screen exist
    await page.getByRole('img', { name: /IMG_20190402_101010\.jpg/ }).click();
    await page.keyboard.press('i');
    await page.getByText('2 April 2019 at 10:10').waitFor();
    await page.getByText('from the file name').waitFor();
    await page.keyboard.press('Escape');
  });

  it('HEIC is shown full size through its decoded preview', { skip: !haveHeifEnc() && 'heif-enc not installed' }, async () => {
    await page.getByLabel('Jump to month').selectOption('March 2021'); // only the rows on screen exist
    await page.getByRole('img', { name: /^phone\.heic/ }).click();
    await viewerMedia(page, 'img', (el: Img) => el.complete && el.naturalWidth === 800, 30_000);
    await page.keyboard.press('i');
    await page.getByText('from the file’s modification time').waitFor();
    await page.keyboard.press('Escape');
  });

  it('a large HEIC shows its thumbnail at once, then a screen-sized copy, and full size only when zoomed in', { skip: !haveHeifEnc() && 'heif-enc not installed' }, async () => {
    await page.getByLabel('Jump to month').selectOption('March 2021');
    await page.getByRole('img', { name: /^big\.heic/ }).click();
    await page.getByRole('dialog', { name: 'Viewer: big.heic' }).waitFor();
    const layers = () => page.locator('sb-viewer img').evaluateAll((els) => els.map((e) => {
      const img = e as unknown as { className: string; complete: boolean; naturalWidth: number };
      return `${img.className}:${img.complete && img.naturalWidth}`;
    }));
    await viewerMedia(page, 'img', (el: Img) => el.complete && el.naturalWidth === 2048, 30_000);
    // at Fit the 1280×860 window shows fewer pixels than the display copy has: no full-size decode
    assert.deepEqual(await layers(), ['main:2048']);
    for (let i = 0; i < 3; i++) await page.keyboard.press('+');
    const deadline = Date.now() + 30_000;
    while (!(await layers()).includes('full:3200')) {
      assert.ok(Date.now() < deadline, `no full-size layer: ${(await layers()).join(', ')}`);
      await page.waitForTimeout(100);
    }
    await screenshot(page, 'viewer-heic-zoomed');
    await page.keyboard.press('Escape');
  });

  it('a real camera RAW (DNG, made by Debian\'s python3-tifffile) is shown through its preview', async (t) => {
    if (!dng) return t.skip('python3-tifffile is not installed (Debian package; `.ci/setup test` installs it)');
    await page.getByLabel('Jump to month').selectOption('March 2021'); // only the rows on screen exist
    await page.getByRole('img', { name: /^camera\.dng/ }).click();
    await page.getByRole('dialog', { name: 'Viewer: camera.dng' }).waitFor();
    await viewerMedia(page, 'img', (el: Img) => el.complete && el.naturalWidth === 480, 30_000);
    await screenshot(page, 'viewer-raw');
    await page.keyboard.press('Escape');
  });

  it('a video has a real poster, plays in the viewer, and is streamed with range requests', async () => {
    const poster = page.getByRole('img', { name: /^Video clip\.mp4/ });
    await poster.waitFor();
    const ok = await poster.evaluate((el: { naturalWidth: number }) => el.naturalWidth > 0);
    assert.ok(ok, 'the poster frame decoded');
    await poster.click();
    const video = page.getByRole('dialog').locator('video');
    await video.waitFor();
    await viewerMedia(page, 'video', (el: { currentTime: number }) => el.currentTime > 0.3, 20_000);
    await video.evaluate((v: { pause(): void }) => v.pause());
    await screenshot(page, 'video-playing');
    const src = await video.getAttribute('src');
    const r = await page.evaluate(async (url) => {
      const res = await fetch(url!, { headers: { Range: 'bytes=100-199' } });
      return { status: res.status, range: res.headers.get('content-range'), length: (await res.arrayBuffer()).byteLength };
    }, src);
    assert.equal(r.status, 206);
    assert.match(r.range ?? '', /^bytes 100-199\/\d+$/);
    assert.equal(r.length, 100);
    await page.keyboard.press('Escape');
  });

  it('a corrupt video gets a placeholder, and the other previews still come', async () => {
    await page.getByRole('img', { name: 'Video broken.mp4 (no preview)' }).waitFor({ timeout: 20_000 });
    await page.getByRole('img', { name: /^cake\.jpg/ }).waitFor();
  });

  it('selects with Ctrl-click and Shift-click; the bar adds to an album, removes, and Trash has undo', async () => {
    await page.getByRole('img', { name: /^beach\.jpg/ }).click({ modifiers: ['Control'] });
    await page.getByRole('img', { name: /^boat\.jpg/ }).click({ modifiers: ['Shift'] });
    const bar = page.getByRole('toolbar', { name: 'Selected files' });
    await bar.getByText('3 files selected').waitFor();
    await screenshot(page, 'multi-select');
    await bar.getByRole('button', { name: 'Add to album…' }).click();
    await bar.getByLabel('Album').selectOption({ label: 'Home' });
    await bar.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('3 files added to Home.').waitFor();
    const ls = (await runCli(['--json', 'ls', 'Home'], { library })).stdout;
    assert.match(ls, /beach\.jpg/);
    // Trash one, then undo
    await page.getByRole('img', { name: /^dunes\.jpg/ }).click({ modifiers: ['Control'] });
    await page.getByRole('toolbar', { name: 'Selected files' }).getByRole('button', { name: 'Move to Trash' }).click();
    await page.getByText('1 file moved to Trash').waitFor();
    await page.getByRole('img', { name: /^dunes\.jpg/ }).waitFor({ state: 'detached' });
    // a second deletion while the offer is shown joins it: Undo takes back both
    await page.getByRole('img', { name: /^beach\.jpg/ }).click({ modifiers: ['Control'] });
    await page.getByRole('toolbar', { name: 'Selected files' }).getByRole('button', { name: 'Move to Trash' }).click();
    await page.getByText('2 files moved to Trash').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('img', { name: /^dunes\.jpg/ }).waitFor();
    await page.getByRole('img', { name: /^beach\.jpg/ }).waitFor();
    assert.doesNotMatch((await runCli(['--json', 'trash', 'ls'], { library })).stdout, /dunes|beach/);
  });

  it('albums: the list with covers, search, a new album, rename, remove from album', async () => {
    await page.getByRole('button', { name: 'Albums', exact: true }).click();
    const list = page.getByRole('list', { name: 'Albums' });
    await list.getByRole('button', { name: /^Home/ }).click();
    await page.getByRole('img', { name: /^beach\.jpg/ }).click({ modifiers: ['Control'] });
    await page.getByRole('button', { name: 'Remove from Home' }).click();
    await page.getByText('1 file removed from Home.').waitFor();
    await page.getByRole('button', { name: 'New album' }).click();
    await page.getByLabel('Name of the new album').fill('Best of');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('Album Best of created.').waitFor();
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByLabel('New name for Best of').fill('Best of 2024');
    await page.getByRole('button', { name: 'Rename', exact: true }).last().click();
    await list.getByRole('button', { name: /^Best of 2024/ }).waitFor();
    await page.getByLabel('Search albums').fill('tri');
    await list.getByRole('button', { name: /^Trip/ }).waitFor();
    assert.equal(await list.getByRole('button', { name: /^Home/ }).count(), 0);
    await page.getByLabel('Search albums').fill('');
  });

  it('at 800×600 every view stays reachable, and the dark theme is dark', async () => {
    const small = await browser.newPage({ viewport: { width: 800, height: 600 }, colorScheme: 'dark' });
    await small.goto(serve.url);
    await small.getByRole('rowheader', { name: 'August 2024', exact: true }).waitFor();
    await screenshot(small, 'small-800x600-dark');
    for (const name of ['All photos', 'Albums', 'Trash', 'Preferences']) {
      const b = small.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true });
      assert.ok(await b.isVisible(), `${name} is visible at 800×600`);
      const box = await b.boundingBox();
      assert.ok(box && box.y + box.height <= 600, `${name} is on screen`);
    }
    const bg = await small.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.match(bg, /rgb\((\d+), (\d+), (\d+)\)/);
    assert.ok(Number(/rgb\((\d+)/.exec(bg)![1]) < 60, `dark background (${bg})`);
    await small.close();
  });

  it('at phone width (390×844) the views are listed above the content, which gets the whole width', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(serve.url);
    await phone.getByRole('rowheader', { name: 'August 2024', exact: true }).waitFor();
    for (const name of ['All photos', 'Albums', 'Trash', 'Preferences']) {
      const box = await phone.getByRole('navigation', { name: 'Views' }).getByRole('button', { name, exact: true }).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844, `${name} is on screen`);
    }
    const main = await phone.locator('main').boundingBox();
    assert.ok(main && main.width >= 380, `the content is ${main?.width} px wide (the sidebar took all but ~80 px of it)`);
    await phone.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Trash', exact: true }).click();
    const text = await phone.getByText('Files here are deleted for good 30 days').boundingBox();
    assert.ok(text && text.width >= 300, 'the Trash text runs across the window, not a word per line');
    await screenshot(phone, 'phone-390x844-trash');
    await phone.close();
  });

  it('when the engine goes away the window says so and never shows a stale "All backed up"', async () => {
    assert.equal(await serve.stop(), 0);
    await page.getByRole('alert').getByText('Lost the connection to Shoebox').waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Not connected' }).waitFor();
    assert.equal(await page.getByText('All backed up').count(), 0);
    await screenshot(page, 'disconnected');
    // started again on the same address: a new run, a new token; the page says to open the new link
    serve = await startServeProcess(library, env, ['--port', new URL(serve.url).port]);
    await page.getByRole('alert').getByText('Shoebox was started again, and this page belongs to its previous run.').waitFor({ timeout: 15_000 });
    // the view says the same, not "Reconnecting…" (reconnecting cannot help: the new link does)
    await page.getByRole('alert').getByText('it was started again; open the new link it printed').first().waitFor({ timeout: 15_000 });
    assert.equal(await page.getByText('Reconnecting…').count(), 0);
    await screenshot(page, 'new-run');
    // opening the new link (as another tab would: it sets the run's token for the address) lets this page connect again
    await page.evaluate(async (url) => { await fetch(url); }, serve.url);
    await page.getByRole('alert').getByText('Shoebox was started again').waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByRole('alert').getByText('Lost the connection to Shoebox').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
