// The desktop app for real, through Playwright's Electron driver (issue #7): launch, window
// opens with the secure options, the API round-trips through the preload, the tray exists.
// Needs an Electron binary; skipped with the reason where there is none (as on our build
// machines, which can't download it).
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { _electron as electron } from 'playwright';
import { findElectron } from '../../main/electron/start.js';
import { tempDir } from '../support/fixtures.js';

const found = findElectron();
const skip = 'path' in found ? false : `no Electron binary here (${found.missing}); install it with \`node node_modules/electron/install.js\` where github.com is reachable`;
const MAIN = fileURLToPath(new URL('../../main/electron/main.js', import.meta.url));

describe('the desktop app (Electron)', { skip }, () => {
  it('launches, opens the window, answers through the preload, and has a tray', async () => {
    const app = await electron.launch({
      executablePath: 'path' in found ? found.path : '',
      args: [MAIN],
      env: { ...process.env, SHOEBOX_LIBRARY: path.join(tempDir(), 'lib'), XDG_CONFIG_HOME: tempDir() },
    });
    try {
      const page = await app.firstWindow();
      await page.getByRole('heading', { name: 'Watch folders' }).waitFor();
      const albums = await page.evaluate(() => (globalThis as unknown as { shoebox: { call(m: string, p: unknown): Promise<unknown> } }).shoebox.call('albums.list', {}));
      assert.deepEqual(albums, { ok: true, result: [{ id: 1, name: 'Uncategorized', kind: 'uncategorized', fileCount: 0, bytes: 0 }] });
      assert.equal(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined', 'no Node in the page');
      assert.equal(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined', 'sandboxed: no process object');
      const bad = await page.evaluate(() => (globalThis as unknown as { shoebox: { call(m: string, p: unknown): Promise<unknown> } }).shoebox.call('watches.add', { path: 42 }));
      assert.equal((bad as { ok: boolean }).ok, false);
      const tray = await app.evaluate(() => {
        const shell = (globalThis as { shoeboxShell?: { tray: { isDestroyed(): boolean; getToolTip?: () => string } } }).shoeboxShell;
        return shell ? { alive: !shell.tray.isDestroyed() } : null;
      });
      assert.deepEqual(tray, { alive: true });
      const navigated = await page.evaluate(() => {
        const loc = (globalThis as unknown as { location: { href: string; protocol: string } }).location;
        loc.href = 'https://example.com/';
        return new Promise((r) => setTimeout(() => r(loc.protocol), 500));
      });
      assert.equal(navigated, 'file:', 'navigation away is refused');
    } finally {
      await app.close();
    }
  });
});
