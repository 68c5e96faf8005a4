// A camera card plugged in while the window is open (issue #20, [Note: Camera cards]): a real
// drive (a tmpfs mounted with DCIM/ at its top) appears where serve looks for removable drives;
// the window offers to back it up and free it; taking the offer backs the card up into an album
// named after it, reviews it, and moves the verified photos to the Trash — what is not a photo
// stays on the card. Through `shoebox serve` and a real browser. Needs root (to mount).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright';
import { jpeg, parseLines, runCli, tempDir } from '../support/fixtures.js';
import { chromiumPath, openWindow, screenshot, startServeProcess, type ServeProcess } from '../support/serve-process.js';

const exe = chromiumPath();
const root = process.getuid?.() === 0 ? 'root' : undefined;

describe('a camera card plugged in, in the window', { skip: !exe ? 'Chromium is not installed (`.ci/setup test` installs it)' : !root ? 'needs root to mount a drive' : false }, () => {
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const library = path.join(tempDir(), 'lib');
  const mounts = tempDir();
  const card = path.join(mounts, 'EOS_DIGITAL');
  const data = path.join(tempDir(), 'data');
  let mounted = false;
  before(async () => {
    serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir(), XDG_DATA_HOME: data, SHOEBOX_MOUNT_ROOTS: mounts });
    ({ browser, page } = await openWindow(serve.url));
  });
  after(async () => {
    await browser?.close();
    await serve?.stop();
    if (mounted) spawnSync('umount', ['-l', card]);
  });

  it('offers the card when it appears; taking the offer backs it up into its own album and frees what is verified', async (t) => {
    await page.getByRole('button', { name: 'All photos' }).waitFor();
    fs.mkdirSync(card);
    mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'shoebox-card', card]).status === 0;
    if (!mounted) {
      t.skip('this machine does not let root mount a tmpfs (a container without CAP_SYS_ADMIN)');
      return;
    }
    fs.mkdirSync(path.join(card, 'DCIM/100CANON'), { recursive: true });
    for (const n of [1, 2, 3]) fs.writeFileSync(path.join(card, `DCIM/100CANON/IMG_000${n}.JPG`), await jpeg(`card-window-${n}`, 60_000));
    fs.writeFileSync(path.join(card, 'DCIM/100CANON/MISC.CTG'), 'camera index');
    const offer = page.getByRole('status', { name: 'Camera card' });
    await offer.getByText('The camera card EOS_DIGITAL was plugged in').waitFor({ timeout: 30_000 });
    await screenshot(page, 'camera-card-offer');
    await offer.getByRole('button', { name: 'Back up and free…' }).click();
    assert.equal(await page.getByRole('radio', { name: /Camera card EOS_DIGITAL/ }).isChecked(), true, 'the card is chosen');
    await page.getByRole('button', { name: 'Back up EOS_DIGITAL and review' }).click();
    await page.getByText('3 files can be freed').waitFor({ timeout: 60_000 });
    await page.getByText(/Backed up EOS_DIGITAL into the album “EOS_DIGITAL”: 4 files: 3 new/).waitFor();
    await page.getByRole('region', { name: /^Kept: not a photo or video/ }).getByText('MISC.CTG').waitFor();
    await screenshot(page, 'camera-card-review');
    await page.getByRole('button', { name: 'Move 3 files to the Trash' }).click();
    await page.getByText('Freed 3 files').waitFor({ timeout: 60_000 });
    assert.deepEqual(fs.readdirSync(path.join(card, 'DCIM/100CANON')), ['MISC.CTG'], 'what is not a photo stays on the card');
    // The card's photos go to its own Trash (freedesktop: a top-directory Trash on the card).
    const trashed = [path.join(card, `.Trash-${process.getuid?.()}/files`), path.join(card, `.Trash/${process.getuid?.()}/files`), path.join(data, 'Trash/files')];
    assert.deepEqual(trashed.flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d) : [])).sort(), ['IMG_0001.JPG', 'IMG_0002.JPG', 'IMG_0003.JPG']);
    const rows = parseLines<{ album: string; name: string }>((await runCli(['--json', 'ls'], { library })).stdout);
    assert.deepEqual(rows.map((r) => `${r.album}/${r.name}`).sort(), ['EOS_DIGITAL/IMG_0001.JPG', 'EOS_DIGITAL/IMG_0002.JPG', 'EOS_DIGITAL/IMG_0003.JPG']);
  });
});
