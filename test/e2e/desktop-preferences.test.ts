// The window as the desktop app shows it (issue #19), in Chromium: the page loads from file://
// like Electron's, and `window.shoebox` is a stand-in for the preload (same shape) that hands
// every call to a real ApiDispatcher with the Electron shell adapter. Checks what only the
// desktop app shows: where the log is, Open log file, and the notifications switch.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright';
import { ApiDispatcher } from '../../main/core/api/dispatcher.js';
import { Engine } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logger.js';
import { PrefsStore } from '../../main/core/prefs/prefs-store.js';
import { tempDir } from '../support/fixtures.js';
import { CHROMIUM_ARGS, chromiumPath, screenshot } from '../support/serve-process.js';

const INDEX = pathToFileURL(fileURLToPath(new URL('../../renderer/index.html', import.meta.url))).href;
const exe = chromiumPath();

describe('the desktop window\'s Preferences', { skip: exe ? false : 'no Chromium (.ci/setup test installs it)' }, () => {
  let engine: Engine;
  let browser: Browser;
  let page: Page;
  let prefs: PrefsStore;
  const opened: string[] = [];
  const logFile = path.join(tempDir(), 'logs', 'shoebox.log');

  before(async () => {
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    prefs = new PrefsStore(tempDir());
    const dispatcher = new ApiDispatcher(engine, { shell: 'electron', nativeDialogs: true, uploadUrl: null, storesCredentials: true, prefs, applyLaunchAtStartup: () => undefined, logFile, openLog: () => (opened.push(logFile), Promise.resolve()) }, silentLogger);
    // Electron loads module scripts from file://; Chromium does only with this flag.
    browser = await chromium.launch({ executablePath: exe!, args: [...CHROMIUM_ARGS, '--allow-file-access-from-files'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    let next = 1;
    await page.exposeFunction('__shoeboxCall', async (method: string, params: unknown) => {
      const r = await dispatcher.reply(next++, method, params);
      return r.ok ? { ok: true, result: r.result } : { ok: false, error: r.error };
    });
    await page.addInitScript(() => {
      const w = globalThis as unknown as { __shoeboxCall(m: string, p: unknown): Promise<unknown>; shoebox: unknown };
      w.shoebox = { call: (m: string, p: unknown) => w.__shoeboxCall(m, p), on: () => () => undefined, pathForFile: () => '' };
    });
    await page.goto(INDEX);
  });
  after(async () => {
    await browser?.close();
    await engine?.close();
  });

  it('shows where the log file is and opens it', async () => {
    await page.getByRole('button', { name: 'Preferences' }).click();
    assert.equal(await page.locator('#log-file').textContent(), logFile);
    await page.getByRole('button', { name: 'Open log file' }).click();
    for (let i = 0; i < 200 && opened.length === 0; i++) await new Promise((r) => setTimeout(r, 50)); // the call crosses to this process
    assert.deepEqual(opened, [logFile]);
    await screenshot(page, 'desktop-preferences');
  });

  it('notifications can be switched off, and stay off', async () => {
    const box = page.getByLabel('Show notifications when something needs you');
    assert.equal(await box.isChecked(), true);
    await box.uncheck();
    await page.getByText('Saved.').waitFor();
    assert.equal(prefs.get().notifications, false);
  });
});
