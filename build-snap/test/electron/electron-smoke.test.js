// The desktop app for real, through Playwright's Electron driver (issues #7, #19): launch, the
// window with the secure options, the catalog opened through the Electron build of
// better-sqlite3, the tray menu, a line in the log file, hide-to-tray, a folder passed at launch
// reaching the window, the window's place remembered, and quit.
// Needs an Electron binary (and, once, Electron's headers or a published build for
// @electron/rebuild); skipped with the reason where there is none, as on our build machines,
// which can download neither.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, describe, it } from 'node:test';
import { _electron as electron } from 'playwright';
import { devNativeDir, ensureElectronNatives, nativeTarget } from '../../main/electron/electron-natives.js';
import { runElectronRebuild } from '../../main/electron/rebuild-natives.js';
import { PROJECT_DIR, findElectron } from '../../main/electron/start.js';
import { tempDir } from '../support/fixtures.js';
const found = findElectron();
const skip = 'path' in found ? false : `no Electron binary here (${found.missing}); install it with \`node node_modules/electron/install.js\` where github.com is reachable`;
const MAIN = fileURLToPath(new URL('../../main/electron/main.js', import.meta.url));
const EXE = 'path' in found ? found.path : '';
const shellOf = () => globalThis.shoeboxShell;
async function until(what, fn, ms = 20_000) {
    const deadline = Date.now() + ms;
    for (;;) {
        const v = await fn();
        if (v)
            return v;
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
function launch(env, args = []) {
    return electron.launch({ executablePath: EXE, args: [MAIN, ...args], env: { ...process.env, ...env } });
}
describe('the desktop app (Electron)', { skip }, () => {
    before(async () => {
        // What `npm start` does first: the Electron build of better-sqlite3, beside Node's.
        await ensureElectronNatives({ projectDir: PROJECT_DIR, dir: devNativeDir(PROJECT_DIR, process.platform, process.arch), target: nativeTarget(PROJECT_DIR, process.platform, process.arch), rebuild: (job) => runElectronRebuild(EXE, job), say: () => undefined });
    });
    it('launches, opens the catalog through the Electron build, has its tray menu, logs, hides to the tray and quits', async () => {
        const logs = tempDir();
        const app = await launch({ SHOEBOX_LIBRARY: path.join(tempDir(), 'lib'), XDG_CONFIG_HOME: tempDir(), SHOEBOX_LOG_DIR: logs });
        let exited = false;
        app.process().on('exit', () => (exited = true));
        try {
            const page = await app.firstWindow();
            await page.getByRole('heading', { name: 'Watch folders' }).waitFor();
            const albums = await page.evaluate(() => globalThis.shoebox.call('albums.list', {}));
            assert.deepEqual(albums, { ok: true, result: [{ id: 1, name: 'Uncategorized', kind: 'uncategorized', fileCount: 0, bytes: 0 }] });
            const info = await app.evaluate(() => ({ sqlite: shellOf().sqliteBinding, logFile: shellOf().logFile, trayAlive: !shellOf().tray.isDestroyed() }));
            assert.match(info.sqlite, /electron-native[\\/][^\\/]+[\\/]better_sqlite3\.node$/, 'the catalog uses the Electron build, not node_modules');
            assert.equal(info.logFile, path.join(logs, 'shoebox.log'));
            assert.equal(info.trayAlive, true);
            assert.equal(await page.evaluate(() => typeof globalThis.require), 'undefined', 'no Node in the page');
            assert.equal(await page.evaluate(() => typeof globalThis.process), 'undefined', 'sandboxed: no process object');
            const bad = await page.evaluate(() => globalThis.shoebox.call('watches.add', { path: 42 }));
            assert.equal(bad.ok, false);
            const menu = await until('the tray menu', async () => {
                const labels = await app.evaluate(() => shellOf().trayMenu());
                return labels.includes('Open Shoebox') ? labels : undefined;
            });
            for (const item of ['Open Shoebox', 'Open library folder', 'Pause sync', 'Quit Shoebox'])
                assert.ok(menu.includes(item), `${item} in ${menu.join(' | ')}`);
            assert.match(menu[0], /All backed up|Starting…/);
            const log = await until('the start line in the log', () => {
                const text = fs.existsSync(info.logFile) ? fs.readFileSync(info.logFile, 'utf8') : '';
                return /Shoebox started/.test(text) ? text : undefined;
            });
            assert.match(log, /info {2}\[shoebox\] Shoebox started .*"sqlite":"[^"]*electron-native/);
            const navigated = await page.evaluate(() => {
                const loc = globalThis.location;
                loc.href = 'https://example.com/';
                return new Promise((r) => setTimeout(() => r(loc.protocol), 500));
            });
            assert.equal(navigated, 'file:', 'navigation away is refused');
            await app.evaluate(() => shellOf().window().close());
            await until('the window to hide', async () => app.evaluate(() => !shellOf().window().isVisible() && !shellOf().window().isDestroyed()));
            assert.equal(exited, false, 'closing the window keeps Shoebox running in the tray');
            const closed = app.waitForEvent('close');
            await app.evaluate(() => shellOf().quit());
            await closed;
            assert.match(fs.readFileSync(info.logFile, 'utf8'), /Shoebox stopped/);
        }
        finally {
            if (!exited)
                await app.close();
        }
    });
    it('a folder given at launch reaches the window however slowly it starts, and the window reopens where it was', async () => {
        const env = { SHOEBOX_LIBRARY: path.join(tempDir(), 'lib'), XDG_CONFIG_HOME: tempDir(), SHOEBOX_LOG_DIR: tempDir() };
        const folder = tempDir();
        let app = await launch(env, [folder]);
        try {
            const page = await app.firstWindow();
            await page.getByRole('group', { name: `Add ${folder}` }).waitFor(); // the add-watch step for the folder (held until the sidebar listened)
            await app.evaluate(() => shellOf().window().setBounds({ x: 40, y: 60, width: 1000, height: 700 }));
            await new Promise((r) => setTimeout(r, 1500)); // the state is saved at most once a second
            const closed = app.waitForEvent('close');
            await app.evaluate(() => shellOf().quit());
            await closed;
            app = await launch(env);
            await app.firstWindow();
            const b = await app.evaluate(() => shellOf().window().getBounds());
            assert.deepEqual([b.width, b.height], [1000, 700]);
        }
        finally {
            await app.close();
        }
    });
});
//# sourceMappingURL=electron-smoke.test.js.map