// The viewer in Debian's Chromium against `shoebox serve`: nothing the window draws is blocked by
// its Content Security Policy ([Note: No inline styles under the CSP]). Screenshots go to
// test-results/screenshots/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright';
import { runCli, tempDir, writeTree } from '../support/fixtures.js';
import { photo } from '../support/media-fixtures.js';
import { CHROMIUM_ARGS, chromiumPath, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';

const exe = chromiumPath();
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
    await page.getByRole('img', { name: /^small\.jpg/ }).waitFor({ timeout: 30_000 });
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
});
