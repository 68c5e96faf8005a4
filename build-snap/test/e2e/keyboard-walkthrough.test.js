// Keyboard only (issue #16): add a watch folder, open a photo, go to the next, move it to Trash,
// undo — Tab, Enter, arrows, Delete and Ctrl+Z, no mouse.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir, writeTree } from '../support/fixtures.js';
import { photo } from '../support/media-fixtures.js';
import { chromiumPath, openWindow, screenshot, startServeProcess } from '../support/serve-process.js';
const exe = chromiumPath();
/** A description of the element that has keyboard focus, through shadow roots. */
function focused(page) {
    return page.evaluate(() => {
        let a = globalThis.document.activeElement;
        while (a?.shadowRoot?.activeElement)
            a = a.shadowRoot.activeElement;
        return a ? `${a.tagName.toLowerCase()}|${a.getAttribute('role') ?? ''}|${a.getAttribute('aria-label') ?? ''}|${(a.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 80)}` : '';
    });
}
/** Waits (briefly) until focus is on an element matching `what` (focus moves after a render). */
async function focusOn(page, what) {
    for (let i = 0; i < 50; i++) {
        if (what.test(await focused(page)))
            return;
        await page.waitForTimeout(50);
    }
    assert.match(await focused(page), what);
}
/** Presses Tab until the focused element matches (at most 80 times). */
async function tabTo(page, what) {
    for (let i = 0; i < 80; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (what.test(f))
            return f;
    }
    throw new Error(`Tab never reached ${what}; last focus: ${await focused(page)}`);
}
describe('keyboard-only walkthrough', { skip: exe ? false : 'Chromium is not installed (`.ci/setup test` installs it)' }, () => {
    let serve;
    let browser;
    let page;
    const library = path.join(tempDir(), 'lib');
    const folder = path.join(tempDir(), 'Holiday');
    before(async () => {
        writeTree(folder, {
            'a.jpg': await photo(800, 600, '2024:05:01 10:00:00', '#246'),
            'b.jpg': await photo(800, 600, '2024:05:01 09:00:00', '#642'),
            'c.jpg': await photo(800, 600, '2024:05:01 08:00:00', '#462'),
        });
        serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir() });
        ({ browser, page } = await openWindow(serve.url));
        await page.getByText('No photos yet').waitFor();
    });
    after(async () => {
        await browser?.close();
        await serve?.stop();
    });
    it('adds a watch, opens a photo, goes to the next, moves it to Trash and undoes it', async () => {
        await tabTo(page, /^button\|\|\|Add folder$/);
        await page.keyboard.press('Enter');
        assert.match(await focused(page), /^input/, 'the path field has focus');
        await page.keyboard.type(folder);
        await page.keyboard.press('Enter');
        await tabTo(page, /Watch this folder/);
        await page.keyboard.press('Enter');
        await page.getByRole('img', { name: /^c\.jpg/ }).waitFor({ timeout: 30_000 });
        await page.getByRole('rowheader', { name: 'May 2024', exact: true }).waitFor({ timeout: 30_000 });
        // into the grid: one tile is in the tab order
        assert.match(await tabTo(page, /\|gridcell\|/), /a\.jpg/, 'the newest photo first');
        await page.keyboard.press('ArrowRight');
        await focusOn(page, /b\.jpg/);
        await page.keyboard.press('ArrowLeft');
        await focusOn(page, /a\.jpg/);
        await page.keyboard.press('Enter');
        await page.getByRole('dialog', { name: 'Viewer: a.jpg' }).waitFor();
        await page.keyboard.press('ArrowRight');
        await page.getByRole('dialog', { name: 'Viewer: b.jpg' }).waitFor();
        await page.keyboard.press('Delete');
        await page.getByText('1 file moved to Trash').waitFor();
        await page.getByRole('dialog', { name: 'Viewer: c.jpg' }).waitFor(); // the next one slides in
        await screenshot(page, 'keyboard-trash-undo');
        assert.match((await runCli(['--json', 'trash', 'ls'], { library })).stdout, /b\.jpg/);
        await page.keyboard.press('Control+z');
        await page.getByText('1 file restored.').waitFor();
        assert.doesNotMatch((await runCli(['--json', 'trash', 'ls'], { library })).stdout, /b\.jpg/);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
        await page.getByRole('img', { name: /^b\.jpg/ }).waitFor();
        await focusOn(page, /gridcell/);
    });
});
//# sourceMappingURL=keyboard-walkthrough.test.js.map