// The viewer in Debian's Chromium against `shoebox serve`: nothing the window draws is blocked by
// its Content Security Policy ([Note: No inline styles under the CSP]); the zoom label is the real
// scale, Fit shrinks large photos and never enlarges small ones ([Note: Viewer scale]).
// Screenshots go to test-results/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright';
import sharp from 'sharp';
import { blobPath } from '../../main/core/blobs/blob-store.js';
import { runCli, tempDir, writeTree } from '../support/fixtures.js';
import { photo } from '../support/media-fixtures.js';
import { CHROMIUM_ARGS, chromiumPath, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';

const exe = chromiumPath();

/** Polls `ok` until it holds (30 s at most). */
async function waitUntil(ok: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await ok())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const skip = exe ? false : 'Chromium is not installed (Debian package chromium; `.ci/setup test` installs it)';

describe('the viewer in a browser (shoebox serve)', { skip }, () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  /** Every Content Security Policy violation the page reported: console errors and securitypolicyviolation events. */
  const violations: string[] = [];
  const library = path.join(tempDir(), 'lib');

  before(async () => {
    const root = tempDir();
    writeTree(root, {
      'Trip/small.jpg': await photo(240, 320, '2024:08:03 14:05:01', '#2a7ab0'),
      'Trip/wide.jpg': await photo(3000, 2000, '2024:08:02 10:00:00', '#9c3d54'),
      // larger than a display copy (2048 px): the viewer shows the copy, the label the photo's scale
      'Trip/scan.tif': await sharp({ create: { width: 3200, height: 2400, channels: 3, background: '#3b8a5a' } }).tiff({ compression: 'lzw' }).toBuffer(),
    });
    assert.equal((await runCli(['upload', path.join(root, 'Trip')], { library })).code, 0);
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir() });
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    // listening before the first load: the window's first render is where most styles are set
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(`console ${m.type()}: ${m.text()}`);
    });
    await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    // also what is blocked without a console message (a caught eval, say); the test's tsconfig has no DOM types
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) =>
      void reportCspViolation('securitypolicyviolation: ' + e.violatedDirective + ' (' + e.sourceFile + ':' + e.lineNumber + ') ' + e.sample))`);
    await page.goto(serve.url);
    // the back-fill dates the photos in the background and the timeline re-reads: wait for it, so
    // the order (scan.tif, small.jpg, wide.jpg: newest first) is settled
    for (const day of [/^Saturday,? 3 August 2024$/, /^Friday,? 2 August 2024$/]) await page.getByRole('rowheader', { name: day }).waitFor({ timeout: 30_000 });
    await page.getByRole('img', { name: /^small\.jpg/ }).waitFor({ timeout: 30_000 });
  });

  afterEach(async () => {
    // a test that failed with the viewer open leaves the next one the timeline
    if ((await page.getByRole('dialog').count()) === 0) return;
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  /** Opens a photo in the viewer and waits until its screen-sized image has loaded. */
  async function openViewer(name: string): Promise<void> {
    await page.getByRole('img', { name: new RegExp(`^${name.replace('.', '\\.')}`) }).click();
    await page.getByRole('dialog', { name: `Viewer: ${name}` }).waitFor();
    await page.locator('sb-viewer img.main').evaluate(async (img: { complete: boolean; naturalWidth: number }) => {
      while (!(img.complete && img.naturalWidth > 0)) await new Promise((r) => setTimeout(r, 50));
    });
  }

  /**
   * The zoom label and the scale the photo is really drawn at (its drawn width over its own width
   * in pixels, in %), measured from the image's box as object-fit: contain draws it in there.
   */
  async function scaleOnScreen(photoWidth: number): Promise<{ label: string; real: number; drawn: { width: number; height: number } }> {
    const label = (await page.locator('sb-viewer header [aria-live]').textContent())?.trim() ?? '';
    const drawn = await page.locator('sb-viewer img.main').evaluate((img: { naturalWidth: number; naturalHeight: number; getBoundingClientRect(): { width: number; height: number } }) => {
      const box = img.getBoundingClientRect();
      const k = Math.min(box.width / img.naturalWidth, box.height / img.naturalHeight);
      return { width: img.naturalWidth * k, height: img.naturalHeight * k };
    });
    return { label, real: (100 * drawn.width) / photoWidth, drawn };
  }

  /** Asserts the label says the real scale (to the percent it rounds to). */
  async function assertLabelIsRealScale(photoWidth: number, expected: string): Promise<void> {
    const s = await scaleOnScreen(photoWidth);
    assert.equal(s.label, expected, `label (drawn ${Math.round(s.drawn.width)}×${Math.round(s.drawn.height)})`);
    assert.ok(Math.abs(s.real - parseFloat(expected)) <= 1, `drawn at ${s.real.toFixed(1)}% of the photo's pixels, labelled ${s.label}`);
  }

  const fitButton = () => page.getByRole('dialog').getByRole('button', { name: 'Fit' });

  it('a photo smaller than the window is shown at its own size and labelled 100%; Fit keeps it there; + and − step from it', async () => {
    await openViewer('small.jpg');
    await assertLabelIsRealScale(240, '100%');
    assert.equal(await fitButton().getAttribute('aria-pressed'), 'true');
    await screenshot(page, 'viewer-small-fit');
    await fitButton().click();
    await assertLabelIsRealScale(240, '100%');
    await page.keyboard.press('+');
    await assertLabelIsRealScale(240, '150%');
    assert.equal(await fitButton().getAttribute('aria-pressed'), 'false');
    await screenshot(page, 'viewer-small-150');
    await page.keyboard.press('-');
    await assertLabelIsRealScale(240, '100%');
    await page.keyboard.press('Escape');
  });

  it('a photo larger than the window is fitted down and labelled with its real scale; zooming in passes 100%', async () => {
    await openViewer('wide.jpg');
    // the stage is 1280×861 (a 39-px header): 3000×2000 fits at 1280/3000
    await assertLabelIsRealScale(3000, '43%');
    await screenshot(page, 'viewer-wide-fit');
    await page.keyboard.press('+');
    await assertLabelIsRealScale(3000, '64%');
    await page.keyboard.press('+');
    await assertLabelIsRealScale(3000, '96%');
    await page.keyboard.press('+');
    await assertLabelIsRealScale(3000, '100%');
    await page.keyboard.press('0');
    await assertLabelIsRealScale(3000, '43%');
    await page.keyboard.press('Escape');
  });

  it('the label counts the photo\'s own pixels, not those of the smaller display copy the viewer loads', async () => {
    await openViewer('scan.tif');
    assert.equal(await page.locator('sb-viewer img.main').evaluate((img: { naturalWidth: number }) => img.naturalWidth), 2048, 'a display copy is shown');
    // 3200×2400 in 1280×861: fitted by height, 861/2400
    await assertLabelIsRealScale(3200, '36%');
    await page.keyboard.press('+');
    await assertLabelIsRealScale(3200, '54%');
    await screenshot(page, 'viewer-tiff-zoomed');
    await page.keyboard.press('Escape');
  });

  it('loading the window and the viewer reports no Content Security Policy violation', async () => {
    await openViewer('small.jpg');
    // the frame's transform is set on its first render (where lit's styleMap wrote a style attribute)
    const transform = await page.locator('sb-viewer .frame').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { transform: string } }).getComputedStyle(el).transform);
    assert.notEqual(transform, 'none', 'the frame has its transform');
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: 'Viewer: wide.jpg' }).waitFor();
    await screenshot(page, 'viewer-csp');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('img', { name: /^small\.jpg/ }).waitFor();
    await page.waitForTimeout(300); // a violation is reported after the style is dropped
    assert.deepEqual(violations, []);
  });

  it('Delete in the viewer, then the toast\'s Undo: the keys go to the viewer again', async () => {
    await openViewer('small.jpg');
    const [at, total] = (await page.getByRole('dialog', { name: 'Viewer: small.jpg' }).getByText(/^\d+ of \d+$/).textContent())!.split(' of ').map(Number);
    await page.keyboard.press('Delete');
    await page.getByText('1 file moved to Trash').waitFor();
    await page.getByRole('button', { name: 'Undo' }).click();
    await page.getByText('1 file restored.').waitFor();
    // the viewer stayed on the photo it showed (wide.jpg); small.jpg is back before it once the
    // list has it again (the position says so: a key pressed before would go by the old list)
    const viewer = page.getByRole('dialog', { name: 'Viewer: wide.jpg' });
    await viewer.getByText(`${at! + 1} of ${total}`, { exact: true }).waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('dialog', { name: 'Viewer: small.jpg' }).waitFor({ timeout: 5_000 });
  });

  it('closing the viewer puts focus on the tile of the photo it showed last, not the one it was opened on', async () => {
    await openViewer('small.jpg');
    await page.keyboard.press('ArrowRight');
    await page.getByRole('dialog', { name: 'Viewer: wide.jpg' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const focused = async () => page.evaluate(() => {
      let a = (globalThis as unknown as { document: { activeElement: { shadowRoot: unknown; getAttribute(n: string): string | null } | null } }).document.activeElement;
      while ((a?.shadowRoot as { activeElement: typeof a } | null)?.activeElement) a = (a!.shadowRoot as { activeElement: typeof a }).activeElement;
      return a?.getAttribute('aria-label') ?? '';
    });
    await waitUntil(async () => /^wide\.jpg/.test(await focused()), 'focus on wide.jpg\'s tile');
  });

  it('(last: it changes the library) the open photo moved to Trash from the command line: the viewer says so, and never silently shows another photo as if it were the same', async () => {
    await openViewer('small.jpg');
    const rows = (await runCli(['--json', 'ls'], { library })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { fileId: number; name: string });
    assert.equal((await runCli(['rm', String(rows.find((r) => r.name === 'small.jpg')!.fileId)], { library })).code, 0);
    await page.getByRole('status').getByText('small.jpg is no longer here: it was moved to Trash, or out of this view, elsewhere.').waitFor({ timeout: 20_000 });
    await page.getByRole('dialog', { name: 'Viewer: wide.jpg' }).waitFor();
    await screenshot(page, 'viewer-open-photo-gone');
    // moving on clears the notice
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('dialog', { name: 'Viewer: scan.tif' }).waitFor();
    assert.equal(await page.getByText('is no longer here').count(), 0);
  });

  it('(last) a file the window cannot draw: the viewer says whether its stored bytes are there, not "or"', async () => {
    const odd = tempDir();
    writeTree(odd, { 'broken.jpg': 'seven b', 'lost.jpg': await photo(200, 150, '2024:08:01 09:00:00', '#556b2f') });
    assert.equal((await runCli(['upload', odd, '--album', 'Odd'], { library })).code, 0);
    const rows = (await runCli(['--json', 'ls', 'Odd'], { library })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; hash: string });
    fs.rmSync(blobPath(path.join(library, 'objects'), rows.find((r) => r.name === 'lost.jpg')!.hash)); // lost from the library's disk
    await page.keyboard.press('Escape');
    await page.getByRole('img', { name: 'No preview for broken.jpg' }).click({ timeout: 30_000 });
    await page.getByRole('alert').getByText('broken.jpg cannot be shown: its content is not a picture this window can draw. It is backed up as it came').waitFor();
    // the command in it is shown as code, not between raw backticks (helper-48)
    await page.getByRole('alert').locator('code', { hasText: 'shoebox check --read-data' }).waitFor();
    assert.equal((await page.getByRole('alert').textContent())?.includes('`'), false);
    await page.keyboard.press('Escape');
    await page.getByRole('img', { name: /lost\.jpg/ }).click(); // its preview may or may not have been made before its bytes went
    await page.getByRole('alert').getByText('lost.jpg cannot be shown: its stored bytes are missing from the library').waitFor();
  });

  it('(last) after "Restore this version" the keys still go to the viewer (Esc closes it)', async () => {
    const edits = path.join(tempDir(), 'Edits');
    writeTree(edits, { 'e.jpg': await photo(300, 200, '2024:07:01 09:00:00', '#884422') });
    assert.equal((await runCli(['watch', 'add', edits], { library })).code, 0);
    const hashes = async () => (await runCli(['--json', 'ls', 'Edits'], { library })).stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { hash: string }).hash);
    await waitUntil(async () => (await hashes()).length === 1, 'the watch to back e.jpg up');
    const first = (await hashes())[0];
    fs.writeFileSync(path.join(edits, 'e.jpg'), await photo(300, 200, '2024:09:01 09:00:00', '#224488')); // edited: a new version
    await waitUntil(async () => { const h = await hashes(); return h.length === 1 && h[0] !== first; }, 'the edit to be backed up');
    await page.keyboard.press('Escape');
    // both versions listed (the window reloads on the change event; under load, a moment later), then the newest first: the edited one
    await waitUntil(async () => (await page.getByRole('img', { name: /^e\.jpg/ }).count()) === 2, 'the window to list both versions of e.jpg');
    // the edited one offers the earlier version back (which tile comes first depends on when each was dated)
    const restore = page.getByRole('dialog').getByRole('button', { name: 'Restore this version' });
    for (const i of [0, 1]) {
      await page.getByRole('img', { name: /^e\.jpg/ }).nth(i).click({ timeout: 30_000 });
      await page.getByRole('dialog', { name: 'Viewer: e.jpg' }).waitFor();
      await page.keyboard.press('i');
      await page.getByRole('dialog').getByText('Versions').waitFor();
      if ((await restore.count()) > 0) break;
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
    }
    await restore.click();
    await page.getByText('That version is back in Edits.').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('(last) a video the window cannot play: the viewer says why, not a blank player', async () => {
    const odd = tempDir();
    writeTree(odd, { 'odd.mp4': 'not a video at all', 'gone.mp4': 'another video gone' });
    assert.equal((await runCli(['upload', odd, '--album', 'Clips'], { library })).code, 0);
    const rows = (await runCli(['--json', 'ls', 'Clips'], { library })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; hash: string });
    fs.rmSync(blobPath(path.join(library, 'objects'), rows.find((r) => r.name === 'gone.mp4')!.hash));
    await page.keyboard.press('Escape');
    await page.getByRole('img', { name: /odd\.mp4/ }).click({ timeout: 30_000 });
    await page.getByRole('alert').getByText('odd.mp4 cannot be played: this window cannot play its content').waitFor();
    await screenshot(page, 'viewer-video-cannot-play');
    await page.keyboard.press('Escape');
    await page.getByRole('img', { name: /gone\.mp4/ }).click();
    await page.getByRole('alert').getByText('gone.mp4 cannot be played: its stored bytes are missing from the library').waitFor();
  });
});
