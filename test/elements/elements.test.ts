// Element tests of the window's views and leaf elements, in Debian's Chromium through Playwright
// ([Note: Element tests run in Chromium], renderer/test/element-harness.ts): each element is
// mounted alone inside a fake session whose API answers from a script, so every state —
// pending, error with retry, empty, disconnected, done — is shown on purpose and checked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipElements, useElementPage, type W } from './element-page.js';

const status = (sync: Record<string, unknown> | null, top: Record<string, unknown> = {}) => ({
  library: '/lib', files: 3, albums: 1, storedBytes: 0, trashed: 0, errors: 0, recentErrors: [], recentActivity: [],
  sync: sync && { state: 'idle', pausedReason: null, queued: 0, done: 0, total: 0, current: null, errors: 0, watches: [], ...sync },
  ...top,
});
/** An error entry of the engine's status (activity log). */
const errorEntry = (at: number, name: string, message = `${name} is empty (0 bytes); there is nothing to back up`) => ({ at, code: 'FILE_EMPTY', path: `/home/me/Pictures/${name}`, message });
const storage = { storedBytes: 2048, storedBlobs: 1, filesBytes: 4096, files: 1, albums: [{ name: 'Trip', files: 1, bytes: 4096 }], trash: { files: 0, bytes: 0, freedByPurge: 0 }, duplicates: { groups: 1, extraCopies: 1, extraBytes: 2048 }, thumbnailsBytes: 0 };

describe('element tests (Chromium)', { skip: skipElements }, () => {
  const ep = useElementPage();
  const { mount, calls } = ep;

  it('sb-state shows each state, and an error offers Try again', async () => {
    for (const [kind, text] of [['pending', 'Loading'], ['empty', 'Nothing here yet.'], ['disconnected', 'Not connected to Shoebox.']] as const) {
      await mount('sb-state', {}, { kind });
      await ep.page.getByText(text).first().waitFor();
    }
    await mount('sb-state', {}, { kind: 'error', message: 'The disk is gone.' });
    await ep.page.getByRole('alert').getByText('The disk is gone.').waitFor();
    await ep.page.getByRole('button', { name: 'Try again' }).waitFor();
  });

  it('the selection bar\'s export: a folder that is not a full path is said beside the field, which stays open; a full path is exported to', async () => {
    await mount('sb-selection-bar', {}, { count: 2, albums: [], canRemove: false, albumName: '', busy: false });
    await ep.page.getByRole('button', { name: 'Export…' }).click();
    const field = ep.page.getByLabel('Export to folder');
    await field.fill('Exported');
    await field.press('Enter');
    await ep.page.getByRole('alert').getByText('Type the folder\'s full path, from the top (like /home/you/Exported).').waitFor();
    assert.equal(await field.isVisible(), true, 'the field stays open to fix it');
    assert.deepEqual(await ep.fired('selection-action'), []);
    await field.fill('/home/me/Exported');
    await field.press('Enter');
    assert.deepEqual(await ep.fired('selection-action'), [{ kind: 'export', dest: '/home/me/Exported' }]);
  });

  it('an album cover whose preview cannot be made shows the placeholder, not an empty box', async () => {
    // (functions do not cross into the page: the element is made there)
    await ep.page.evaluate(() => {
      const d = (globalThis as unknown as { document: { body: { replaceChildren(...n: unknown[]): void }; createElement(t: string): Record<string, unknown> } }).document;
      const t = d.createElement('sb-thumb');
      Object.assign(t, { decorative: true, file: { fileId: 13, name: 'corrupt.jpg', size: 0, mediaType: 'image/jpeg', width: null, height: null, takenAt: null }, urls: { url: () => '/no-such-thumb.png' } });
      d.body.replaceChildren(t);
    });
    await ep.page.locator('sb-thumb figure .ph').getByText('▧').waitFor();
  });

  it('a view shows Loading while the engine has not answered, then its content', async () => {
    await mount('sb-storage-view', { 'storage.get': { pending: true } });
    await ep.page.getByRole('status').getByText('Loading storage…').waitFor();
    await mount('sb-storage-view', { 'storage.get': { result: storage } });
    await ep.page.getByRole('rowheader', { name: 'Stored on disk' }).waitFor();
    await ep.page.getByText('1 file, counted as if each were its own copy').waitFor();
    await ep.page.getByText('1 extra copy in 1 group').waitFor();
  });

  it('a failed load shows the engine\'s message and Try again reloads', async () => {
    await mount('sb-storage-view', { 'storage.get': [{ error: { code: 'IO_ERROR', userMessage: 'The library disk reported an I/O error.' } }, { result: storage }] });
    await ep.page.getByRole('alert').getByText('The library disk reported an I/O error.').waitFor();
    await ep.page.getByRole('button', { name: 'Try again' }).click();
    await ep.page.getByRole('rowheader', { name: 'Stored on disk' }).waitFor();
    assert.equal((await calls('storage.get')).length, 2);
  });

  it('disconnected: a view with nothing loaded says so; one with data marks it as possibly out of date', async () => {
    await mount('sb-trash-view', { 'trash.list': { pending: true } }, {}, { connected: false });
    await ep.page.getByText('Not connected to Shoebox.').waitFor();
    await mount('sb-trash-view', { 'trash.list': { result: [{ fileId: 1, name: 'a.jpg', size: 10, trashedAt: 0, albums: ['Trip'] }] } });
    await ep.page.getByRole('cell', { name: 'a.jpg', exact: true }).waitFor();
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.session({ connected: false }));
    await ep.page.getByText('What you see may be out of date').waitFor();
    await ep.page.getByRole('cell', { name: 'a.jpg', exact: true }).waitFor();
  });

  it('Trash: empty state, and Restore sends exactly the ticked files', async () => {
    await mount('sb-trash-view', { 'trash.list': { result: [] } });
    await ep.page.getByText('Trash is empty.').waitFor();
    await mount('sb-trash-view', { 'trash.list': { result: [{ fileId: 4, name: 'a.jpg', size: 10, trashedAt: 0, albums: [] }, { fileId: 9, name: 'b.jpg', size: 10, trashedAt: 0, albums: [] }] }, 'trash.restore': { result: { restored: 1 } } });
    await ep.page.getByRole('checkbox', { name: 'Select b.jpg' }).check();
    await ep.page.getByRole('button', { name: /^Restore/ }).click();
    await ep.page.getByText('1 file restored.').waitFor();
    assert.deepEqual((await calls('trash.restore')).map((c) => c.params), [{ fileIds: [9] }]);
  });

  it('the status indicator never says "All backed up" while disconnected, and counts in words', async () => {
    await mount('sb-status-indicator', {}, { status: status({}), connected: true });
    await ep.page.getByRole('button', { name: 'All backed up' }).waitFor();
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.set({ connected: false }));
    await ep.page.getByRole('button', { name: 'Not connected' }).waitFor();
    assert.equal(await ep.page.getByText('All backed up').count(), 0);
    await mount('sb-status-indicator', {}, { status: status({ state: 'error', errors: 1 }, { errors: 1, recentErrors: [errorEntry(Date.now(), 'a.jpg')] }), connected: true });
    await ep.page.getByRole('button', { name: '1 file could not be backed up' }).waitFor();
    await mount('sb-status-indicator', {}, { status: status(null), connected: true });
    await ep.page.getByRole('button', { name: 'Backup engine not running' }).click();
    assert.equal(await ep.page.getByText(/shoebox run|`shoebox/).count(), 0, 'no CLI command in the window');
  });

  it('the status pill counts the files its panel lists, even those of an earlier run, and the panel says where each is', async () => {
    // after a restart the engine's count for this run is 0 while its list still holds an earlier error (an upload's, say)
    const earlier = Date.now() - 60_000;
    await mount('sb-status-indicator', {}, { status: status({ errors: 0 }, { errors: 1, recentErrors: [errorEntry(earlier, 'zero.jpg')] }), connected: true });
    await ep.page.getByRole('button', { name: '1 file could not be backed up' }).click();
    const list = ep.page.getByRole('list', { name: 'Could not be backed up' });
    assert.deepEqual(await list.getByRole('listitem').allInnerTexts(), [`zero.jpg is empty (0 bytes); there is nothing to back up\n/home/me/Pictures/zero.jpg · ${new Date(earlier).toLocaleTimeString()}`]);
    await ep.page.screenshot({ path: 'test-results/screenshots/status-problems-element.png' });

    const now = Date.now();
    await mount('sb-status-indicator', {}, { status: status({ state: 'error', errors: 2 }, { errors: 2, recentErrors: [errorEntry(now, 'b.jpg'), errorEntry(now - 5, 'a.jpg')] }), connected: true });
    await ep.page.getByRole('button', { name: '2 files could not be backed up' }).click();
    assert.equal(await list.getByRole('listitem').count(), 2);
    await mount('sb-status-indicator', {}, { status: status({ errors: 0 }), connected: true });
    await ep.page.getByRole('button', { name: 'All backed up' }).click();
    await ep.page.getByRole('region', { name: 'Sync details' }).getByText('Nothing.').waitFor();
  });

  it('the watch sidebar shows the engine\'s message for a bad path, and its menu closes with Esc', async () => {
    const watch = { id: 1, path: '/home/me/Pictures', mode: 'single', poll: false, paused: false, addedAt: 0, state: 'watching', message: null, files: 1, bytes: 10, pending: 0, cutOff: 0 };
    await mount('sb-watch-sidebar', { 'watches.inspect': { error: { code: 'INVALID_ARGUMENT', userMessage: 'Type the folder\'s full path, starting with /.' } } }, { watches: [watch] });
    await ep.page.getByText('1 file').waitFor();
    await ep.page.getByRole('button', { name: 'Add folder' }).click();
    await ep.page.getByLabel(/Folder to watch/).fill('~/Pictures');
    await ep.page.getByRole('button', { name: 'Next' }).click();
    await ep.page.getByRole('alert').getByText('Type the folder\'s full path, starting with /.').waitFor();
    assert.deepEqual((await calls('watches.inspect')).map((c) => c.params), [{ path: '~/Pictures' }], 'the typed value is sent as typed');
    await ep.page.getByRole('button', { name: /More actions/ }).click();
    await ep.page.getByRole('menuitem', { name: 'Pause' }).waitFor();
    await ep.page.keyboard.press('ArrowDown');
    await ep.page.keyboard.press('Escape');
    await ep.page.getByRole('menu').waitFor({ state: 'detached' });
    await ep.page.getByRole('button', { name: /More actions/ }).click();
    await ep.page.mouse.click(1000, 700); // outside
    await ep.page.getByRole('menu').waitFor({ state: 'detached' });
  });

  it('the watch sidebar never says "watching" when nothing is: all syncing paused, or the engine not reached; and no "No folders yet" before it knows', async () => {
    const watch = { id: 1, path: '/home/me/Pictures', mode: 'single', poll: false, paused: false, addedAt: 0, state: 'watching', message: null, files: 1, bytes: 10, pending: 0, cutOff: 0 };
    await mount('sb-watch-sidebar', {}, { watches: [watch], pausedAll: 'user' });
    await ep.page.getByText('paused (all syncing)').waitFor();
    await mount('sb-watch-sidebar', {}, { watches: [watch], connected: false });
    await ep.page.getByText('not connected', { exact: true }).waitFor();
    assert.equal(await ep.page.getByText('watching').count(), 0);
    await mount('sb-watch-sidebar', {}, { watches: null, connected: false });
    await ep.page.getByText('Not connected to Shoebox.').waitFor();
    assert.equal(await ep.page.getByText(/No folders yet/).count(), 0);
    await mount('sb-watch-sidebar', {}, { watches: [watch] });
    await ep.page.getByText('watching').waitFor();
    // a file that looks cut off: why it waits is said
    await mount('sb-watch-sidebar', {}, { watches: [{ ...watch, pending: 1, cutOff: 1 }] });
    await ep.page.getByText('1 waiting (1 looks cut off: waiting up to a minute for the rest, then backed up as it is)').waitFor();
  });

  it('Deduplicate files keeps an unticked group unticked, and the chosen copy, after an apply', async () => {
    const copy = (fileId: number, name: string) => ({ fileId, name, size: 5, mediaType: 'image/jpeg', width: null, height: null, takenAt: null, modifiedAt: null, createdAt: 0, albums: ['A'], sourcePath: null });
    const g1 = { id: 'g1', hash: 'a'.repeat(64), size: 5, copies: [copy(1, 'one.jpg'), copy(2, 'one copy.jpg')], keep: 1, leftAlone: null };
    const g2 = { id: 'g2', hash: 'b'.repeat(64), size: 5, copies: [copy(3, 'two.jpg'), copy(4, 'two copy.jpg')], keep: 3, leftAlone: null };
    const g3 = { id: 'g3', hash: 'c'.repeat(64), size: 5, copies: [copy(5, 'three.jpg'), copy(6, 'three copy.jpg')], keep: 5, leftAlone: null };
    const apart = 'four.jpg (file 7) and four b.jpg (file 8) are the same photo with a different RAW: the group is left alone, every copy kept';
    const g4 = { id: 'g4', hash: 'd'.repeat(64), size: 5, copies: [copy(7, 'four.jpg'), copy(8, 'four b.jpg')], keep: 7, leftAlone: apart };
    await mount('sb-dedup-review', {
      'dedup.groups': [{ result: { total: 4, groups: [g1, g2, g3, g4] } }, { result: { total: 3, groups: [g2, g3, g4] } }],
      'dedup.apply': { result: { results: [{ hash: g1.hash, status: 'applied', trashed: 1, albums: ['A'] }], storage } },
    });
    // A group of different items (their RAWs differ) is shown with why, and cannot be applied.
    const four = ep.page.getByRole('region', { name: 'Duplicate group: four.jpg' });
    await four.getByText(/Left alone: .*different RAW/).waitFor();
    assert.equal(await four.getByRole('checkbox').isChecked(), false, 'a left-alone group is not selected');
    assert.equal(await four.getByRole('checkbox').isDisabled(), true, 'and cannot be selected');
    assert.equal(await four.getByText('To Trash').count(), 0, 'no copy of it is marked for Trash');
    await ep.page.getByRole('region', { name: 'Duplicate group: two.jpg' }).getByRole('checkbox').uncheck();
    await ep.page.getByRole('region', { name: 'Duplicate group: three.jpg' }).getByRole('radio').nth(1).check();
    await ep.page.getByRole('region', { name: 'Duplicate group: three.jpg' }).getByRole('checkbox').uncheck();
    await ep.page.getByRole('button', { name: 'Move 1 copy to Trash' }).click();
    await ep.page.getByText('Done: 1 group, 1 copy moved to Trash').waitFor();
    assert.equal(await ep.page.getByRole('region', { name: 'Duplicate group: two.jpg' }).getByRole('checkbox').isChecked(), false, 'still unticked');
    assert.equal(await ep.page.getByRole('region', { name: 'Duplicate group: three.jpg' }).getByRole('radio').nth(1).isChecked(), true, 'the chosen copy is still chosen');
    assert.equal(await ep.page.getByText(/group g\d|[0-9a-f]{12}/).count(), 0, 'no group ids or hashes shown');
  });

  it('Free up space: review shows what can be freed and what is kept with why; the apply sends only the review id; delete is an explicit choice', async () => {
    const options = { trashLabel: 'the Trash', remotes: 1, freed: { files: 0, bytes: 0 } };
    const review = (method: 'trash' | 'delete') => ({
      id: '0123456789abcdef', createdAt: 0, roots: ['/home/me/Pictures'], fileRoots: [], method, requireOffsite: true,
      qualifying: { files: 2, bytes: 2048 }, folders: [{ path: '/home/me/Pictures/Trip', files: 2, bytes: 2048 }],
      kept: [{ reason: 'library-copy-damaged', text: 'its library copy is damaged', files: 1, bytes: 10, examples: [{ path: '/home/me/Pictures/Trip/bad.jpg', detail: null }] },
        { reason: 'changed-since-backup', text: 'changed since it was backed up', files: 1, bytes: 10, examples: [{ path: '/home/me/Pictures/Trip/edited.jpg', detail: 'its size or modification time differs from the backed-up file' }] }],
      excluded: 0, unreadable: [], bytesRead: 4096, durationMs: 5,
    });
    await mount('sb-free-up-view', {
      'freeUp.options': { result: options },
      'freeUp.cards': { result: [] },
      'freeUp.review': [{ pending: true }, { result: review('trash') }, { result: review('delete') }],
      'freeUp.apply': { result: { method: 'trash', freed: 2, bytesFreed: 2048, skipped: [], interrupted: false } },
    });
    assert.equal(await ep.page.getByRole('checkbox', { name: /offsite copy is verified too/ }).isChecked(), true, 'on by default where a remote exists');
    await ep.page.getByRole('button', { name: 'Review' }).click();
    await ep.page.evaluate(() => (globalThis as unknown as { harness: { emit(e: string, d: unknown): void } }).harness.emit('freeUpProgress', { phase: 'verifying', done: 120, total: 2000, bytes: 5_000_000 }));
    await ep.page.getByText('Verifying 120 of 2,000 files (4.8 MiB read)…').waitFor();
    assert.equal(await ep.page.getByRole('button', { name: 'Review' }).isDisabled(), true, 'one review at a time');
    await mount('sb-free-up-view', {
      'freeUp.options': { result: options },
      'freeUp.cards': { result: [] },
      'freeUp.review': [{ result: review('trash') }, { result: review('delete') }],
      'albums.list': { result: [{ id: 1, name: 'Trip', kind: 'user', fileCount: 2, bytes: 2048, coverId: null }] },
      'freeUp.apply': { result: { method: 'trash', freed: 2, bytesFreed: 2048, skipped: [], interrupted: false } },
    });
    await ep.page.getByRole('button', { name: 'Review' }).click();
    await ep.page.getByText('2 files can be freed: 2.0 KiB.').waitFor();
    const damaged = ep.page.getByRole('region', { name: 'Kept: its library copy is damaged' });
    await damaged.getByText('/home/me/Pictures/Trip/bad.jpg').waitFor();
    await ep.page.getByRole('region', { name: 'Kept: changed since it was backed up' }).getByText('its size or modification time differs').waitFor();
    await ep.page.getByRole('button', { name: 'Move 2 files to the Trash' }).click();
    await ep.page.getByText('Freed 2 files, 2.0 KiB').waitFor();
    assert.deepEqual((await calls('freeUp.apply')).map((c) => c.params), [{ reviewId: '0123456789abcdef' }], 'the apply sends the review id, never paths');
    await ep.page.getByRole('checkbox', { name: /Delete them instead/ }).check();
    await ep.page.getByText('Deleted files cannot be restored from a Trash').waitFor();
    await ep.page.getByRole('radio', { name: /This folder or camera card/ }).check();
    await ep.page.getByRole('textbox', { name: 'Folder or card to free up' }).fill('/media/me/CARD');
    await ep.page.getByRole('combobox', { name: 'Only files in the album' }).fill('Trip ');
    await ep.page.getByRole('button', { name: 'Review' }).click();
    await ep.page.getByRole('button', { name: 'Delete 2 files' }).waitFor();
    assert.deepEqual((await calls('freeUp.review')).map((c) => c.params), [{}, { paths: ['/media/me/CARD'], albums: ['Trip'], delete: true }]);
    type Doc = { querySelector(s: string): { shadowRoot: { querySelectorAll(s: string): ArrayLike<{ value: string }> } } };
    const offered = await ep.page.evaluate(() => Array.from((globalThis as unknown as { document: Doc }).document.querySelector('sb-free-up-view').shadowRoot.querySelectorAll('datalist option'), (o) => o.value));
    assert.deepEqual(offered, ['Trip'], 'the album names are offered');
  });

  it('Free up space: a camera card is backed up into its own album first (and pushed, when offsite copies are required), then reviewed', async () => {
    const card = { path: '/media/me/EOS_DIGITAL', name: 'EOS_DIGITAL' };
    const summary = { filesTotal: 3, stored: 2, created: 0, linked: 0, skipped: 0, ignored: 1, vanished: 0, failed: 0, bytesAdded: 2048, failures: [], interrupted: false, durationMs: 1, unrecognised: { count: 0, paths: [] } };
    const review = { id: 'fedcba9876543210', createdAt: 0, roots: [card.path], fileRoots: [], method: 'trash', requireOffsite: true, qualifying: { files: 2, bytes: 2048 }, folders: [{ path: `${card.path}/DCIM/100CANON`, files: 2, bytes: 2048 }], kept: [], excluded: 0, unreadable: [], bytesRead: 4096, durationMs: 5 };
    const remote = { url: 's3://photos/lib', endpoint: null, region: null, addedAt: 0, lastSnapshotAt: null, lastError: null, pushedBlobs: 0, pushedBytes: 0, pendingBlobs: 2, openUploads: 0, pendingDeletes: 0 };
    await mount('sb-free-up-view', {
      'freeUp.options': { result: { trashLabel: 'the Trash', remotes: 1, freed: { files: 0, bytes: 0 } } },
      'freeUp.cards': { result: [card] },
      'upload.paths': { result: summary },
      'remotes.list': { result: [remote] },
      'remotes.push': { result: { url: remote.url, blobs: 2, bytes: 2048, deleted: 0, snapshot: null, failed: [] } },
      'freeUp.review': { result: review },
    });
    const radio = ep.page.getByRole('radio', { name: /Camera card EOS_DIGITAL/ });
    await radio.waitFor();
    assert.equal(await radio.isChecked(), false, 'a card mounted now is offered, not chosen');
    await radio.check();
    await ep.page.getByRole('button', { name: 'Back up EOS_DIGITAL and review' }).click();
    await ep.page.getByText('2 files can be freed: 2.0 KiB.').waitFor();
    await ep.page.getByText('Backed up EOS_DIGITAL into the album “EOS_DIGITAL”: 3 files: 2 new, 1 not photos or videos.').waitFor();
    assert.deepEqual((await calls('upload.paths')).map((c) => c.params), [{ paths: [card.path], mode: 'single', album: 'EOS_DIGITAL' }]);
    assert.deepEqual((await calls('remotes.push')).map((c) => c.params), [{ url: remote.url }], 'the new photos are pushed before their offsite copies are asked for');
    assert.deepEqual((await calls('freeUp.review')).map((c) => c.params), [{ paths: [card.path] }]);

    // Opened for a card just plugged in (the window's offer): that card is chosen; without a remote nothing is pushed.
    await mount('sb-free-up-view', {
      'freeUp.options': { result: { trashLabel: 'the Trash', remotes: 0, freed: { files: 0, bytes: 0 } } },
      'freeUp.cards': { error: { code: 'IO_ERROR', userMessage: '/media cannot be read.' } },
      'upload.paths': { result: summary },
      'freeUp.review': { result: { ...review, requireOffsite: false } },
    }, { card });
    assert.equal(await ep.page.getByRole('radio', { name: /Camera card EOS_DIGITAL/ }).isChecked(), true);
    await ep.page.getByText('Camera cards could not be looked for: /media cannot be read.').waitFor();
    await ep.page.getByRole('button', { name: 'Back up EOS_DIGITAL and review' }).click();
    await ep.page.getByText('2 files can be freed').waitFor();
    assert.deepEqual(await calls('remotes.list'), []);
  });

  it('Free up space: an empty folder is said before anything is sent; a file given is called a file; files the move did not free are named by reason, never said to have stayed', async () => {
    const review = {
      id: '0123456789abcdef', createdAt: 0, roots: ['/home/me/Pictures/IMG_1.jpg'], fileRoots: ['/home/me/Pictures/IMG_1.jpg'], method: 'trash', requireOffsite: false,
      qualifying: { files: 2, bytes: 2048 }, folders: [{ path: '/home/me/Pictures', files: 2, bytes: 2048 }], kept: [], excluded: 0, unreadable: [], bytesRead: 4096, durationMs: 5,
    };
    const skipped = [{ reason: 'already-freed', text: 'already freed by another Free up space', files: 2, bytes: 2048, examples: [{ path: '/home/me/Pictures/IMG_1.jpg', detail: 'another Free up space moved it to the Trash meanwhile' }, { path: '/home/me/Pictures/IMG_2.jpg', detail: 'another Free up space moved it to the Trash meanwhile' }] }];
    await mount('sb-free-up-view', {
      'freeUp.options': { result: { trashLabel: 'the Trash', remotes: 0, freed: { files: 0, bytes: 0 } } },
      'freeUp.cards': { result: [] },
      'freeUp.review': { result: review },
      'freeUp.apply': { result: { method: 'trash', freed: 0, bytesFreed: 0, skipped, interrupted: false } },
    });
    await ep.page.getByRole('radio', { name: /This folder or camera card/ }).check();
    await ep.page.getByRole('button', { name: 'Review' }).click();
    await ep.page.getByText('Type the folder or camera card to free up, as its full path').waitFor();
    assert.deepEqual(await calls('freeUp.review'), [], 'nothing was sent');
    await ep.page.getByRole('textbox', { name: 'Folder or card to free up' }).fill('/home/me/Pictures/IMG_1.jpg');
    await ep.page.getByRole('button', { name: 'Review' }).click();
    await ep.page.getByText('2 files can be freed').waitFor();
    await ep.page.getByText(/checked \(the file \/home\/me\/Pictures\/IMG_1\.jpg\);/).waitFor();
    await ep.page.getByRole('button', { name: 'Move 2 files to the Trash' }).click();
    await ep.page.getByText('Freed nothing').waitFor();
    await ep.page.getByText('2 files were not freed after all').waitFor();
    const group = ep.page.getByRole('region', { name: 'Not freed: already freed by another Free up space' });
    await group.getByText('/home/me/Pictures/IMG_2.jpg').waitFor();
    assert.equal(await ep.page.getByText(/stayed/).count(), 0, 'files another window freed did not stay');
  });

  it('the upload summary adds up and names new names for stored bytes', async () => {
    const text = await ep.page.evaluate(() => (globalThis as unknown as { harness: { pure: { uploadSummaryText(s: unknown): string } } }).harness.pure.uploadSummaryText({ filesTotal: 6, stored: 1, created: 2, linked: 1, skipped: 1, ignored: 0, vanished: 0, failed: 1, bytesAdded: 1024, failures: [], interrupted: false, durationMs: 1, unrecognised: { count: 0, paths: [] } }));
    assert.equal(text, '6 files: 1 new, 2 new names for photos already stored, 1 added to more albums, 1 already backed up, 1 failed. 1.0 KiB added.');
  });

  it('the upload summary names a file kept only because of its extension', async () => {
    const texts = await ep.page.evaluate(() => {
      const { pure } = (globalThis as unknown as { harness: { pure: { uploadSummaryText(s: unknown): string } } }).harness;
      const f = (s: unknown) => pure.uploadSummaryText(s);
      const base = { filesTotal: 2, stored: 2, created: 0, linked: 0, skipped: 0, ignored: 0, vanished: 0, failed: 0, bytesAdded: 2048, failures: [], interrupted: false, durationMs: 1, unrecognised: { count: 0, paths: [] } };
      return [f({ ...base, unrecognised: { count: 1, paths: ['/home/me/Odd/garbage.jpg'] } }), f({ ...base, unrecognised: { count: 2, paths: ['/a.jpg', '/b.jpg'] } })];
    });
    assert.deepEqual(texts, [
      '2 files: 2 new. 2.0 KiB added. garbage.jpg was kept because of its extension: the content is not a photo or video Shoebox recognises.',
      '2 files: 2 new. 2.0 KiB added. 2 files were kept because of their extension: the content is not a photo or video Shoebox recognises.',
    ]);
  });

  it('an upload summary says what came of Takeout sidecars, RAW+JPEG pairs and XMP sidecars', async () => {
    const text = await ep.page.evaluate(() => (globalThis as unknown as { harness: { pure: { importSummaryText(s: unknown): string | null } } }).harness.pure.importSummaryText({
      filesTotal: 9, stored: 9, created: 0, linked: 0, skipped: 0, ignored: 0, vanished: 0, failed: 0, bytesAdded: 1, failures: [], interrupted: false, durationMs: 1,
      import: { sidecars: 8, matched: 7, withoutSidecar: 1, unmatchedSidecars: 2, rawPairs: 1, xmpSidecars: 3, notes: [], notesOmitted: 0 },
    }));
    assert.equal(text, 'Google Takeout: 7 photos and videos matched to their sidecars, 1 without one, 2 sidecars matched to no photo. 1 RAW+JPEG pair kept as one photo each. 3 XMP sidecars kept with their photos.');
  });

  it('the info panel shows each value with its source, the date a sidecar outranked, the sidecars and the parts', async () => {
    const at = Date.UTC(2019, 0, 5, 10, 30);
    const reading = (source: string, o: Record<string, unknown>) => ({ source, sidecar: null, takenAt: null, takenInstant: null, location: null, description: null, favorite: null, rating: null, ...o });
    await mount('sb-file-metadata', {}, {
      info: {
        at, dateSource: 'takeout',
        metadata: {
          takenAt: { value: at, source: 'takeout', instant: at }, location: { latitude: 48.8584, longitude: 2.2945, altitude: null, source: 'takeout' },
          description: { value: 'Eiffel Tower at dusk', source: 'takeout' }, favorite: { value: true, source: 'takeout' }, rating: { value: 4, source: 'xmp' },
          sources: [reading('takeout', { sidecar: 't1.zip!/Takeout/Google Photos/x.jpg.json', takenAt: at }), reading('xmp', { sidecar: '/p/x.xmp', rating: 4 }), reading('embedded', { takenAt: Date.UTC(2001, 1, 3, 4, 5) })],
        },
        parts: [{ role: 'raw', name: 'IMG_1.CR2', size: 25_000_000, mediaType: 'image/x-canon-cr2' }, { role: 'xmp', name: 'IMG_1.xmp', size: 2048, mediaType: 'application/rdf+xml' }],
      },
    });
    await ep.page.getByText('from its Google Takeout sidecar (takes precedence over the photo’s own)').waitFor();
    await ep.page.getByText(/the file’s own metadata: .*2001.*\(not used\)/).waitFor();
    await ep.page.getByText('48.85840° N, 2.29450° E').waitFor();
    await ep.page.getByText('Eiffel Tower at dusk').waitFor();
    await ep.page.getByLabel('favourite').waitFor();
    await ep.page.getByLabel('4 of 5').waitFor();
    await ep.page.getByText('XMP sidecar: /p/x.xmp').waitFor();
    await ep.page.getByText('IMG_1.CR2 (23.8 MiB)').waitFor();
  });

  it('the timeline groups days under months, selects with Ctrl/Shift-click, and opens the viewer with Enter', async () => {
    const day = (d: string, n: number) => ({ day: d, count: n });
    const item = (i: number, at: string) => ({ fileId: i + 1, name: `IMG_${i}.jpg`, size: 1, mediaType: 'image/jpeg', width: 10, height: 10, takenAt: Date.parse(at), at: Date.parse(at), dateSource: 'exif' });
    const items = [item(0, '2024-08-03T10:00:00Z'), item(1, '2024-08-03T09:00:00Z'), item(2, '2024-07-01T09:00:00Z')];
    await mount('sb-timeline-view', {
      'timeline.days': { result: { total: 3, days: [day('2024-08-03', 2), day('2024-07-01', 1)] } },
      'timeline.page': { result: { total: 3, items } },
      'albums.list': { result: [] },
      'files.info': { pending: true },
    });
    await ep.page.getByRole('rowheader', { name: 'August 2024', exact: true }).waitFor();
    await ep.page.getByRole('rowheader', { name: 'July 2024', exact: true }).waitFor();
    await ep.page.getByRole('gridcell', { name: 'IMG_0.jpg' }).click({ modifiers: ['Control'] });
    await ep.page.getByRole('gridcell', { name: 'IMG_2.jpg' }).click({ modifiers: ['Shift'] });
    await ep.page.getByText('3 files selected').waitFor();
    await ep.page.getByRole('button', { name: 'Clear selection' }).click();
    await ep.page.getByRole('gridcell', { name: 'IMG_1.jpg' }).focus();
    await ep.page.keyboard.press('Enter');
    await ep.page.getByRole('dialog', { name: 'Viewer: IMG_1.jpg' }).waitFor();
    await ep.page.keyboard.press('Escape');
    await ep.page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('grid keyboard moves: rows, columns, sections, Page keys, Home/End (pure layout)', async () => {
    const r = await ep.page.evaluate(() => {
      type P = { layoutRows: (s: unknown[], c: number) => unknown; moveFocus: (l: unknown, t: number, i: number, k: string, p: number) => number };
      const { layoutRows, moveFocus } = (globalThis as unknown as { harness: { pure: P } }).harness.pure;
      // two sections of 5 and 3, 3 columns: rows [0 1 2] [3 4] | [5 6 7]
      const l = layoutRows([{ label: 'a', group: 'm', count: 5 }, { label: 'b', group: 'm', count: 3 }], 3);
      return ['ArrowDown', 'ArrowRight', 'End', 'Home', 'PageDown'].map((k) => moveFocus(l, 8, 1, k, 2)).concat([moveFocus(l, 8, 4, 'ArrowDown', 1), moveFocus(l, 8, 6, 'ArrowUp', 1)]);
    });
    assert.deepEqual(r, [4, 2, 7, 0, 6, 6, 4]);
  });

  it('selection ranges run from the anchor; paths split on either separator', async () => {
    const r = await ep.page.evaluate(() => {
      type P = { SelectionModel: new () => { toggle(i: number, id: number): void; extendTo(i: number, idAt: (i: number) => number | undefined): void; selected: Set<number> }; baseName: (p: string) => string; pickedFolder: (a: string, b: string) => string | null };
      const { SelectionModel, baseName, pickedFolder } = (globalThis as unknown as { harness: { pure: P } }).harness.pure;
      const s = new SelectionModel();
      s.toggle(2, 102);
      s.extendTo(5, (i) => (i === 4 ? undefined : 100 + i));
      return { sel: [...s.selected].sort(), names: [baseName('C:\\Users\\me\\Pictures\\'), baseName('/home/me/Pictures')], picked: [pickedFolder('C:\\x\\Trip\\d\\1.jpg', 'Trip/d/1.jpg'), pickedFolder('/a/Trip/1.jpg', 'Trip/1.jpg')] };
    });
    assert.deepEqual(r, { sel: [102, 103, 105], names: ['Pictures', 'Pictures'], picked: ['C:\\x\\Trip', '/a/Trip'] });
  });
});
