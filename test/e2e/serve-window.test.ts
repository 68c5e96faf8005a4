// End-to-end: the Shoebox window in Debian's Chromium against `shoebox serve` on generated
// trees (issue #6). Screenshots of each main screen go to test-results/screenshots/ and are
// checked to be more than a blank page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { chromiumPath, openWindow, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';

const exe = chromiumPath();
const skip = exe ? false : 'Chromium is not installed (Debian package chromium; `.ci/setup test` installs it)';

describe('the window in a browser (shoebox serve)', { skip }, () => {
  let browser: Browser;
  let serve: ServeProcess;
  let page: Page;
  let photos: string;
  let events: string;
  const library = path.join(tempDir(), 'lib');
  const env = { SHOEBOX_CONFIG_DIR: path.join(tempDir(), 'config'), SHOEBOX_AUTOSTART_DIR: path.join(tempDir(), 'autostart') };

  before(async () => {
    const root = tempDir();
    photos = path.join(root, 'Photos');
    events = path.join(root, 'Events');
    writeTree(root, {
      'Photos/2024/Summer/beach.jpg': await jpeg('e2e-beach', 3000),
      'Photos/2024/Summer/dunes.jpg': await jpeg('e2e-dunes', 3000),
      'Photos/Backup/Summer/boat.jpg': await jpeg('e2e-boat', 3000),
      'Photos/2024/Winter/snow.jpg': await jpeg('e2e-snow', 3000),
      'Events/Party/cake.jpg': await jpeg('e2e-cake', 3000),
      'Events/Wedding/rings.jpg': await jpeg('e2e-rings', 3000),
    });
    serve = await startServeProcess(library, env);
    ({ browser, page } = await openWindow(serve.url, { width: 1280, height: 800 }));
    await page.getByRole('button', { name: 'All backed up' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
  });

  async function addWatch(folder: string, mode: 'single' | 'separate' | null): Promise<void> {
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByLabel(/Folder to watch/).fill(folder);
    await page.getByRole('button', { name: 'Next' }).click();
    if (mode === 'single') await page.getByLabel(/a single album/).check();
    if (mode === 'separate') await page.getByLabel(/separate albums/).check();
    await page.getByRole('button', { name: 'Watch this folder' }).click();
    await page.locator('sb-watch-sidebar li', { hasText: folder }).getByText(/watching/).waitFor({ timeout: 20_000 });
  }

  it('a bad path shows a clear error', async () => {
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByLabel(/Folder to watch/).fill('/no/such/folder');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').getByText('/no/such/folder does not exist').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  const albumList = () => page.getByRole('list', { name: 'Albums' });

  it('adds a watch in each mode; albums and thumbnails appear', async () => {
    await addWatch(photos, 'separate');
    await addWatch(events, 'single');
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Albums', exact: true }).click();
    await albumList().getByRole('button', { name: /^Summer/ }).click();
    await page.getByRole('img', { name: /beach\.jpg/ }).waitFor();
    await page.getByRole('img', { name: /boat\.jpg/ }).waitFor();
    await albumList().getByRole('button', { name: /^Events/ }).waitFor();
    await albumList().getByRole('button', { name: /^Winter/ }).waitFor();
    await screenshot(page, 'sidebar-and-albums');
  });

  it('a file written on disk appears live; a deleted one moves to Uncategorized', async () => {
    fs.writeFileSync(path.join(photos, '2024/Summer/sunset.jpg'), await jpeg('e2e-sunset', 3000));
    await page.getByRole('img', { name: /sunset\.jpg/ }).waitFor({ timeout: 15_000 });
    fs.rmSync(path.join(photos, '2024/Winter/snow.jpg'));
    await albumList().getByRole('button', { name: /^Uncategorized\s+1/ }).waitFor({ timeout: 15_000 });
    await albumList().getByRole('button', { name: /^Uncategorized/ }).click();
    await page.getByRole('img', { name: /snow\.jpg/ }).waitFor();
  });

  it('the status indicator expands to progress, errors and recent activity', async () => {
    await page.getByRole('button', { name: /All backed up/ }).click();
    await page.getByRole('heading', { name: 'Recent activity' }).waitFor();
    await page.getByText(/snow\.jpg was deleted from/).waitFor();
    await screenshot(page, 'status-expanded');
    await page.getByRole('button', { name: /All backed up/ }).click();
  });

  it('the status panel closes with Esc, a click outside, and on switching view, so it never stays over a view', async () => {
    const pill = page.getByRole('button', { name: /All backed up/ });
    const panel = page.getByRole('region', { name: 'Sync details' });
    const deepFocus = () => page.evaluate(() => {
      let el = (globalThis as unknown as { document: { activeElement: { shadowRoot: { activeElement: unknown } | null; textContent: string | null } | null } }).document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement as typeof el;
      return el?.textContent?.trim() ?? null;
    });
    await pill.click();
    await panel.waitFor();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    assert.equal(await deepFocus(), 'All backed up', 'focus is back on the pill');
    assert.equal(await pill.getAttribute('aria-expanded'), 'false');

    await pill.click();
    await panel.getByRole('heading', { name: 'Recent activity' }).click(); // inside: stays open
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });

    await pill.click();
    await page.getByRole('main').click({ position: { x: 40, y: 300 } });
    await panel.waitFor({ state: 'detached' });

    const views = page.getByRole('navigation', { name: 'Views' });
    await pill.click();
    await views.getByRole('button', { name: 'Similar images' }).click();
    await panel.waitFor({ state: 'detached' });
    await screenshot(page, 'status-closed-on-view-switch');

    await pill.click(); // by keyboard: focus leaves the panel for the views
    await views.getByRole('button', { name: 'Albums', exact: true }).focus();
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'detached' });
  });

  it('Deduplicate files end to end, then restore from Trash', async () => {
    fs.copyFileSync(path.join(photos, '2024/Summer/beach.jpg'), path.join(events, 'Party/beach copy.jpg'));
    await albumList().getByRole('button', { name: /^Events\s+3/ }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Deduplicate files' }).click();
    const group = page.getByRole('region', { name: /Duplicate group/ });
    await group.waitFor();
    await group.locator('.name', { hasText: 'beach copy.jpg' }).waitFor();
    await screenshot(page, 'dedup-review');
    await page.getByRole('button', { name: /Move 1 copy to Trash/ }).click();
    await page.getByText(/Done:.*1 group, 1 copy moved to Trash/).waitFor();
    await page.getByRole('button', { name: 'Trash', exact: true }).click();
    await page.getByRole('checkbox', { name: /Select beach copy\.jpg/ }).check();
    await page.getByRole('button', { name: /^Restore/ }).click();
    await page.getByText('1 file restored.').waitFor();
    await page.getByRole('button', { name: 'Storage' }).click();
    await page.getByText(/Stored on disk/).waitFor();
    await screenshot(page, 'storage');
  });

  it('preferences persist across a restart', async () => {
    await page.getByRole('button', { name: 'Preferences' }).click();
    await page.getByLabel('Launch Shoebox at startup').check();
    await page.getByText('Saved.').waitFor();
    const entry = fs.readFileSync(path.join(env.SHOEBOX_AUTOSTART_DIR, 'shoebox.desktop'), 'utf8');
    // at login: this library (not the default one), and the window opened (its link has the run's token)
    assert.ok(entry.includes(` --library ${library} serve `), entry);
    assert.match(entry, /^Exec=.* --open$/m);
    await screenshot(page, 'preferences');
    assert.equal(await serve.stop(), 0);
    serve = await startServeProcess(library, env);
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'Preferences' }).click();
    assert.equal(await page.getByLabel('Launch Shoebox at startup').isChecked(), true);
    await page.getByRole('button', { name: 'Albums', exact: true }).click();
    await albumList().getByRole('button', { name: /^Summer/ }).waitFor();
  });

  it('uploads files chosen in the browser, streamed to serve, folder structure kept', async () => {
    const pick = path.join(tempDir(), 'Picked');
    writeTree(pick, { 'a.jpg': await jpeg('e2e-up-a'), 'b.jpg': await jpeg('e2e-up-b') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('#folder').setInputFiles(pick);
    await page.getByText(/2 files:.*2 new/).waitFor({ timeout: 20_000 });
    await page.getByRole('button', { name: 'Albums', exact: true }).click();
    await albumList().getByRole('button', { name: /^Picked\s+2/ }).waitFor();
  });

  it('a browser upload names what it could not back up and leaves no error behind (its staged copy is gone); a problem is dismissed from the panel', async () => {
    const pick = path.join(tempDir(), 'Mixed');
    writeTree(pick, { 'fine.jpg': await jpeg('e2e-up-fine'), 'zero.jpg': Buffer.alloc(0) });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose a folder…' }).click(); // our button, not the browser's "Choose File"
    await (await chooser).setFiles(pick);
    await page.getByText(/2 files:.*1 new/).waitFor({ timeout: 20_000 });
    await page.getByText(/zero\.jpg is empty/).first().waitFor();
    const st = JSON.parse((await runCli(['--json', 'status'], { library, env })).stdout) as { recentErrors: Array<{ path: string | null }> };
    assert.deepEqual(st.recentErrors, [], 'no error left for a staged copy that is gone');
    await page.getByRole('button', { name: 'Albums', exact: true }).click();
    const mixed = albumList().getByRole('button', { name: /^Mixed\s+1/ });
    await mixed.waitFor();
    assert.doesNotMatch(await mixed.innerText(), /shoebox-uploads/, 'a staging folder is not shown as where the photos came from');
    // a problem in a watched folder is listed until the file is backed up, deleted, or the problem dismissed
    fs.writeFileSync(path.join(events, 'Party/empty.jpg'), '');
    const pill = page.getByRole('button', { name: '1 file could not be backed up' });
    await pill.waitFor({ timeout: 20_000 });
    await pill.click();
    await page.getByRole('list', { name: 'Could not be backed up' }).getByText(/empty\.jpg is empty/).waitFor();
    await screenshot(page, 'status-dismiss');
    await page.getByRole('button', { name: 'Dismiss these' }).click();
    await page.getByRole('region', { name: 'Sync details' }).getByText(/Dismissed 1 problem/).waitFor();
    await page.getByRole('button', { name: 'All backed up' }).click(); // closes the panel
    fs.rmSync(path.join(events, 'Party/empty.jpg'));
  });

  it('a photo whose stored bytes vanish shows in the status indicator with what to do', { timeout: 60_000 }, async () => {
    const objects = path.join(library, 'objects');
    const shard = fs.readdirSync(objects).find((d) => fs.readdirSync(path.join(objects, d)).length > 0)!;
    const blob = path.join(objects, shard, fs.readdirSync(path.join(objects, shard))[0]!);
    const bytes = fs.readFileSync(blob);
    fs.rmSync(blob);
    try {
      // The engine notices on its next look at the store (at most every 10 s), not by statting every blob.
      const pill = page.getByRole('button', { name: /1 file has lost its stored bytes/ });
      await pill.waitFor({ timeout: 40_000 });
      await pill.click();
      await page.locator('#lost-bytes').getByText(/Back up the originals again/).waitFor();
      await screenshot(page, 'status-lost-bytes');
    } finally {
      fs.writeFileSync(blob, bytes);
    }
  });
});
