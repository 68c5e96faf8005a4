// The window as the desktop app shows it (issue #19), in Chromium: the page loads from file://
// like Electron's, and `window.shoebox` is a stand-in for the preload (same shape, same
// listening messages) that hands every call to a real ApiDispatcher with the Electron shell
// adapter and takes events through a real WindowEventGate. Checks what only the desktop app
// shows: a folder asked for before the page was ready reaching it, where the log is, Open log
// file, and the notifications switch.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright';
import { ApiDispatcher } from '../../main/core/api/dispatcher.js';
import { Engine } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logger.js';
import { PrefsStore } from '../../main/core/prefs/prefs-store.js';
import { WindowEventGate } from '../../main/electron/window-events.js';
import { tempDir } from '../support/fixtures.js';
import { CHROMIUM_ARGS, chromiumPath, screenshot } from '../support/serve-process.js';
const INDEX = pathToFileURL(fileURLToPath(new URL('../../renderer/index.html', import.meta.url))).href;
const exe = chromiumPath();
describe('the desktop window (Electron mode) in Chromium', { skip: exe ? false : 'no Chromium (.ci/setup test installs it)' }, () => {
    let engine;
    let browser;
    let page;
    let prefs;
    const opened = [];
    const logFile = path.join(tempDir(), 'logs', 'shoebox.log');
    const launchFolder = tempDir();
    const gate = new WindowEventGate();
    before(async () => {
        engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
        prefs = new PrefsStore(tempDir());
        const dispatcher = new ApiDispatcher(engine, { shell: 'electron', nativeDialogs: true, uploadUrl: null, storesCredentials: true, prefs, applyLaunchAtStartup: () => undefined, logFile, openLog: () => (opened.push(logFile), Promise.resolve()) }, silentLogger);
        // Electron loads module scripts from file://; Chromium does only with this flag.
        browser = await chromium.launch({ executablePath: exe, args: [...CHROMIUM_ARGS, '--allow-file-access-from-files'] });
        page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
        let next = 1;
        await page.exposeFunction('__shoeboxCall', async (method, params) => {
            const r = await dispatcher.reply(next++, method, params);
            return r.ok ? { ok: true, result: r.result } : { ok: false, error: r.error };
        });
        await page.exposeFunction('__shoeboxListening', (event, on) => gate.setListening(event, on));
        gate.connect((event, data) => {
            page.evaluate(([e, d]) => globalThis.__deliver(e, d), [event, data]).catch((err) => assert.fail(String(err)));
            return true;
        });
        await page.addInitScript(() => {
            const w = globalThis;
            const listeners = new Map();
            w.__deliver = (e, d) => { for (const fn of listeners.get(e) ?? [])
                fn(d); };
            const on = (e, fn) => {
                const set = listeners.get(e) ?? new Set();
                listeners.set(e, set.add(fn));
                if (set.size === 1)
                    void w.__shoeboxListening(e, true); // as the preload does
                return () => {
                    set.delete(fn);
                    if (set.size === 0)
                        void w.__shoeboxListening(e, false);
                };
            };
            w.shoebox = { call: (m, p) => w.__shoeboxCall(m, p), on, pathForFile: () => '' };
        });
        gate.send('addWatchRequest', { path: launchFolder }); // main.ts: a folder on the command line, before the window exists
        await page.goto(INDEX);
    });
    after(async () => {
        await browser?.close();
        await engine?.close();
    });
    it('a folder asked for before the page was ready reaches the Watch folders sidebar', async () => {
        await page.getByRole('group', { name: `Add ${launchFolder}` }).waitFor();
        assert.equal(gate.heldCount, 0);
        await page.getByRole('group', { name: `Add ${launchFolder}` }).getByRole('button', { name: 'Cancel' }).click();
    });
    it('shows where the log file is and opens it', async () => {
        await page.getByRole('button', { name: 'Preferences' }).click();
        assert.equal(await page.locator('#log-file').textContent(), logFile);
        await page.getByRole('button', { name: 'Open log file' }).click();
        for (let i = 0; i < 200 && opened.length === 0; i++)
            await new Promise((r) => setTimeout(r, 50)); // the call crosses to this process
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
//# sourceMappingURL=desktop-window.test.js.map