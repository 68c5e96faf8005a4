// Element tests of the window's main views (Albums, Upload, Similar images, Offsite copy,
// Preferences, the viewer), each mounted alone in a fake session ([Note: Element tests run in
// Chromium]): what they ask the engine for, what they send, and what they show for each answer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipElements, useElementPage, type W } from './element-page.js';
import { waitFor } from '../support/fixtures.js';

const electronCaps = { shell: 'electron', nativeDialogs: true, uploadUrl: null, storesCredentials: true, mediaBase: '/media/' };
const album = (id: number, name: string, fileCount: number, kind = 'user') => ({ id, name, kind, fileCount, bytes: fileCount * 1024, coverId: null, folders: [], createdAt: 0 });
const file = (fileId: number, name: string) => ({ fileId, name, size: 1024, mediaType: 'image/jpeg', width: 40, height: 30, takenAt: null });
const image = (fileId: number, name: string, similarity: number) => ({ fileId, name, size: 2048, width: 100, height: 80, mediaType: 'image/jpeg', albums: ['Camera'], similarity });
const similarStatus = (change: Record<string, unknown> = {}) => ({ defaultThreshold: 0.88, enabled: true, modelId: 'm1', modelMessage: null, indexed: 5, pending: 0, failed: 0, failedNames: [], missingBytes: 0, ...change });
const pixel = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
const summary = { filesTotal: 3, stored: 2, created: 0, linked: 0, skipped: 1, ignored: 0, vanished: 0, failed: 0, bytesAdded: 2048, failures: [], interrupted: false, durationMs: 5, unrecognised: { count: 0, paths: [] } };
const remote = { url: 's3://bucket/shoebox', endpoint: null, region: null, addedAt: 0, lastSnapshotAt: null, lastError: 'The bucket refused the upload.', pushedBlobs: 0, pushedBytes: 0, pendingBlobs: 4, openUploads: 0, pendingDeletes: 0 };
const prefs = { launchAtStartup: false, startHidden: false, notifications: true, libraryDir: '/home/me/Shoebox', logFile: '/home/me/.config/Shoebox/logs/main.log' };

describe('element tests of the main views (Chromium)', { skip: skipElements }, () => {
  const ep = useElementPage();
  /** Waits until the element has called `method` at least n times. */
  const called = async (method: string, n: number) => {
    while ((await ep.calls(method)).length < n) await new Promise((r) => setTimeout(r, 20));
  };

  it('Albums shows the first album with files, removes the selected files from an album, and says a new album is created once it is shown', async () => {
    await ep.mount('sb-album-view', {
      'albums.list': [{ result: [album(1, 'Uncategorized', 0, 'uncategorized'), album(2, 'Trip', 2)] }, { result: [album(1, 'Uncategorized', 0, 'uncategorized'), album(2, 'Trip', 2), album(3, 'Summer', 0)], held: 'listed' }],
      'files.list': { result: { total: 2, items: [file(5, 'IMG_5.jpg'), file(6, 'IMG_6.jpg')] } },
      'albums.create': { result: album(3, 'Summer', 0) },
    });
    await ep.page.getByText('Trip: 2 files, 2.0 KiB').waitFor();
    assert.equal(((await ep.calls('files.list'))[0]?.params as { albumId: number } | undefined)?.albumId, 2, 'the album with files is listed, not the empty one');
    await ep.page.getByRole('gridcell', { name: 'IMG_6.jpg' }).click({ modifiers: ['Control'] });
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.answer('albums.removeFiles', { result: { removed: 1 } }));
    await ep.page.getByRole('button', { name: 'Remove from Trip' }).click();
    await ep.page.getByText('1 file removed from Trip.').waitFor();
    assert.deepEqual((await ep.calls('albums.removeFiles')).map((c) => c.params), [{ albumId: 2, fileIds: [6] }]);
    await ep.page.getByRole('toolbar', { name: 'Selected files' }).waitFor({ state: 'detached' }); // the selection is cleared
    assert.equal((await ep.fired('changed')).length, 1);

    await ep.page.getByRole('button', { name: 'New album' }).click();
    await ep.page.getByRole('textbox', { name: 'Name of the new album' }).fill('  Summer ');
    await ep.page.getByRole('button', { name: 'Create' }).click();
    await called('albums.list', 2); // the reload that lists it, held
    assert.equal(await ep.page.getByText('Album Summer created.').count(), 0, '"created" is said only once the new album is shown');
    assert.equal(await ep.page.getByRole('button', { name: 'Rename' }).isDisabled(), true, 'Rename would rename the album still shown');
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.release('listed'));
    await ep.page.getByText('Album Summer created.').waitFor();
    assert.equal(await ep.page.getByText('Summer: 0 files').count(), 1);
    await ep.page.getByText('This album is empty.').waitFor();
    assert.deepEqual((await ep.calls('albums.create')).map((c) => c.params), [{ name: 'Summer' }], 'the name is sent trimmed');
  });

  it('Albums: a new album is chosen even when a reload started by the library\'s change overtakes the one that lists it', async () => {
    const before = [album(1, 'Uncategorized', 0, 'uncategorized'), album(2, 'Trip', 2)];
    const after = [...before, album(3, 'Summer', 0)];
    await ep.mount('sb-album-view', {
      'albums.list': [{ result: before }, { result: after, held: 'listed' }, { result: after, held: 'revision' }],
      'files.list': { result: { total: 2, items: [file(5, 'IMG_5.jpg'), file(6, 'IMG_6.jpg')] } },
      'albums.create': { result: album(3, 'Summer', 0) },
    });
    await ep.page.getByText('Trip: 2 files, 2.0 KiB').waitFor();
    await ep.page.getByRole('button', { name: 'New album' }).click();
    await ep.page.getByRole('textbox', { name: 'Name of the new album' }).fill('Summer');
    await ep.page.getByRole('button', { name: 'Create' }).click();
    await called('albums.list', 2); // the view's own reload, held
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.session({ revision: '2' })); // the library changed: the view reloads by itself
    await called('albums.list', 3);
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.release('listed')); // the overtaken reload ends first, without a value
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.release('revision'));
    await ep.page.getByText('Album Summer created.').waitFor();
    await ep.page.getByText('Summer: 0 files').waitFor();
    assert.equal(await ep.page.getByText('Trip: 2 files').count(), 0, 'the new album is shown, not the first one with files');
  });

  it('Upload (desktop): the chosen folder goes to the engine with the album choice, and the summary adds up; a failure shows the engine\'s message', async () => {
    await ep.mount('sb-upload-panel', { 'shell.chooseFolder': { result: { paths: ['/home/me/Trip'] } }, 'upload.paths': { result: summary } }, {}, { caps: electronCaps });
    await ep.page.getByRole('radio', { name: 'one album', exact: true }).check();
    await ep.page.getByRole('button', { name: 'Choose files or folders…' }).click();
    await ep.page.getByText('3 files: 2 new, 1 already backed up. 2.0 KiB added.').waitFor();
    assert.deepEqual((await ep.calls('upload.paths')).map((c) => c.params), [{ paths: ['/home/me/Trip'], mode: 'single' }]);
    assert.equal((await ep.fired('changed')).length, 1);

    await ep.page.evaluate(() => (globalThis as unknown as W).harness.answer('upload.paths', { error: { code: 'DISK_FULL', userMessage: 'The library disk is full: free some space.' } }));
    await ep.page.getByRole('button', { name: 'Choose files or folders…' }).click();
    await ep.page.getByRole('alert').getByText('The library disk is full: free some space.').waitFor();
    assert.equal((await ep.fired('changed')).length, 1, 'a failed upload changed nothing');

    await ep.mount('sb-upload-panel', {});
    await ep.page.getByText('Drop files, folders or ZIP archives here').waitFor();
    assert.equal(await ep.page.getByRole('button', { name: 'Choose files or folders…' }).count(), 0, 'a browser has no native dialog');
  });

  it('Similar images: the images the model could not read are named, not only counted', async () => {
    const failedNames = [{ name: 'broken.jpg', message: 'VipsJpeg: premature end of JPEG image' }, { name: 'corrupt.jpg', message: 'unsupported image format' }];
    await ep.mount('sb-similar-review', {
      'similar.status': { result: similarStatus({ failed: 2, failedNames }) },
      'similar.groups': { result: { groups: [] } },
      'similar.latestUndo': { result: { undo: null } },
    });
    await ep.page.getByText('5 images indexed, 2 could not be read.').waitFor();
    await ep.page.getByText('broken.jpg: VipsJpeg: premature end of JPEG image').waitFor();
    await ep.page.getByText('corrupt.jpg: unsupported image format').waitFor();
  });

  it('Similar images: near-identical groups selected, looser ones for review; compare loads both previews; apply sends what is kept and removed; Undo', async () => {
    const near = { id: 'g1', images: [image(1, 'a.jpg', 1), image(2, 'a-edit.jpg', 0.995)], keep: [1], reference: 1, keepReason: 'has camera metadata', preselected: true };
    const loose = { id: 'g2', images: [image(3, 'b.jpg', 1), image(4, 'b-crop.jpg', 0.9), image(5, 'b-2.jpg', 0.89)], keep: [3], reference: 3, keepReason: 'larger', preselected: false };
    await ep.mount('sb-similar-review', {
      'similar.status': { result: similarStatus() },
      'similar.groups': { result: { groups: [near, loose] } },
      'files.preview': { result: { dataUrl: pixel, width: 1, height: 1 } },
      'similar.apply': { result: { results: [{ status: 'applied', trashed: 2, albumsGiven: ['Camera'] }], undoId: '0123456789abcdef' } },
      'similar.undo': { result: { restored: 2, gone: 0, membershipsRemoved: 1 } },
    });
    await ep.page.getByText('5 images indexed.').waitFor();
    await ep.page.getByRole('button', { name: 'Find similar images' }).click();
    const g1 = ep.page.getByRole('region', { name: 'Similar group g1' });
    const g2 = ep.page.getByRole('region', { name: 'Similar group g2' });
    await g2.waitFor();
    assert.deepEqual((await ep.calls('similar.groups')).map((c) => c.params), [{ threshold: 0.88 }], 'the engine\'s default threshold');
    assert.equal(await g1.getByRole('checkbox').first().isChecked(), true);
    assert.equal(await g2.getByRole('checkbox').first().isChecked(), false, 'a looser group is offered for review, not selected');
    await g1.getByText('best shot: has camera metadata').waitFor();
    await g1.getByText('99% alike to the reference').waitFor(); // 0.995: only the very same picture is "100%"

    await g1.getByRole('button', { name: 'Compare with reference' }).click();
    const compare = ep.page.getByRole('region', { name: 'Compare images' });
    await compare.getByRole('img').nth(1).waitFor();
    assert.deepEqual((await ep.calls('files.preview')).map((c) => c.params).sort((x, y) => (x as { fileId: number }).fileId - (y as { fileId: number }).fileId), [{ fileId: 1, maxSide: 2048 }, { fileId: 2, maxSide: 2048 }]);
    await compare.getByRole('button', { name: 'Close compare' }).click();
    await compare.waitFor({ state: 'detached' });

    await g2.getByRole('checkbox').first().check();
    await g2.getByRole('checkbox', { name: 'Keep' }).nth(1).check(); // keep b-crop.jpg too
    await ep.page.getByRole('button', { name: 'Move 2 images to Trash' }).click();
    await ep.page.getByText('Done: 2 images moved to Trash (restorable for 30 days). Albums that kept their scene through a kept image: Camera.').waitFor();
    assert.deepEqual((await ep.calls('similar.apply')).map((c) => c.params), [{ selections: [{ keep: [1], remove: [2] }, { keep: [3, 4], remove: [5] }] }]);
    await ep.page.getByRole('button', { name: 'Undo' }).click();
    await ep.page.getByText('Undone: 2 images are back in their albums.').waitFor();
    assert.deepEqual((await ep.calls('similar.undo')).map((c) => c.params), [{ undoId: '0123456789abcdef' }]);
    assert.equal((await ep.fired('changed')).length, 2);
  });

  it('Similar images: Index now shows the engine\'s progress; a missing model disables Find and says why; a failed find shows the message', async () => {
    await ep.mount('sb-similar-review', { 'similar.status': { result: similarStatus({ pending: 8 }) }, 'similar.index': { pending: true } });
    await ep.page.getByRole('button', { name: 'Index now' }).click();
    await ep.page.evaluate(() => (globalThis as unknown as W).harness.emit('similarProgress', { indexed: 9, pending: 4 }));
    await ep.page.getByText('Indexing… 9 done, 4 to go').waitFor();
    assert.equal(await ep.page.getByRole('button', { name: 'Find similar images' }).isDisabled(), true, 'one change at a time');

    await ep.mount('sb-similar-review', { 'similar.status': { result: similarStatus({ modelMessage: 'The image model is missing from this installation.' }) } });
    await ep.page.getByText('The image model is missing from this installation.').waitFor();
    assert.equal(await ep.page.getByRole('button', { name: 'Find similar images' }).isDisabled(), true);

    await ep.mount('sb-similar-review', { 'similar.status': { result: similarStatus() }, 'similar.groups': { error: { code: 'IO_ERROR', userMessage: 'The library disk reported an I/O error.' } } });
    await ep.page.getByRole('button', { name: 'Find similar images' }).click();
    await ep.page.getByRole('alert').getByText('The library disk reported an I/O error.').waitFor();
    assert.equal(await ep.page.getByRole('region', { name: /Similar group/ }).count(), 0);
  });

  it('Offsite copy: different passphrases are refused before anything is sent; an added remote shows its recovery key once; Push now reports', async () => {
    await ep.mount('sb-remotes-view', {
      'remotes.list': [{ result: [] }, { result: [remote] }],
      'remotes.add': { result: { remote, recoveryKey: 'ABCD-EFGH-IJKL-MNOP' } },
      'remotes.push': { result: { url: remote.url, blobs: 4, bytes: 4096, deleted: 0, snapshot: 'catalog/snapshot-1.enc', failed: [] } },
    });
    await ep.page.getByText('No offsite copy yet.').waitFor();
    await ep.page.getByText(/Access keys come from the environment/).waitFor(); // a browser window keeps no keys
    await ep.page.getByLabel('Bucket').fill('s3://bucket/shoebox');
    await ep.page.getByLabel('Passphrase', { exact: true }).fill('correct horse');
    await ep.page.getByLabel('Passphrase again').fill('correct house');
    await ep.page.getByRole('button', { name: 'Add offsite copy' }).click();
    await ep.page.getByRole('alert').getByText('The two passphrases differ: type the same passphrase twice.').waitFor();
    assert.equal((await ep.calls('remotes.add')).length, 0);

    await ep.page.getByLabel('Passphrase again').fill('correct horse');
    await ep.page.getByRole('button', { name: 'Add offsite copy' }).click();
    await ep.page.getByLabel('Recovery key').getByText('ABCD-EFGH-IJKL-MNOP').waitFor();
    assert.deepEqual((await ep.calls('remotes.add')).map((c) => c.params), [{ url: 's3://bucket/shoebox', passphrase: 'correct horse' }]);
    await ep.page.getByRole('cell', { name: /The bucket refused the upload\./ }).waitFor();
    await ep.page.getByRole('button', { name: 'I have saved it' }).click();
    assert.equal(await ep.page.getByText('ABCD-EFGH-IJKL-MNOP').count(), 0, 'shown once');

    await ep.page.getByRole('button', { name: 'Push now' }).click();
    await ep.page.getByText('Pushed 4 contents (4.0 KiB) to s3://bucket/shoebox.').waitFor();
  });

  it('Preferences: Start hidden only with Launch at startup, a change is saved, Reset ignored files reports; a browser has no notifications or tray setting', async () => {
    await ep.mount('sb-preferences', { 'prefs.get': { result: prefs }, 'prefs.set': { result: { ...prefs, launchAtStartup: true } }, 'ignored.reset': { result: { reset: 2, restored: 1 } } }, {}, { caps: electronCaps });
    const hidden = ep.page.getByRole('checkbox', { name: /Start hidden/ });
    await hidden.waitFor();
    assert.equal(await hidden.isDisabled(), true);
    await ep.page.getByRole('checkbox', { name: 'Launch Shoebox at startup' }).check();
    await ep.page.getByRole('status').getByText('Saved.').waitFor();
    assert.equal(await hidden.isDisabled(), false);
    assert.deepEqual((await ep.calls('prefs.set')).map((c) => c.params), [{ launchAtStartup: true }]);
    await ep.page.getByRole('button', { name: 'Reset ignored files' }).click();
    await ep.page.getByText('Reset 2 ignored files. 1 photo came back from Trash. What is still in the watched folders is backed up again by the next sync (at once while Shoebox runs).').waitFor();

    await ep.mount('sb-preferences', { 'prefs.get': { result: prefs } });
    await ep.page.getByText('Here, that starts the Shoebox server for this library when you log in, and opens this window in your browser.').waitFor();
    assert.equal(await ep.page.getByRole('checkbox', { name: /notifications/ }).count(), 0);
    assert.equal(await ep.page.getByRole('checkbox', { name: /Start hidden/ }).count(), 0, 'no tray in a browser: nothing to start hidden in');
  });

  it('the viewer: keys move, trash and close; Info shows where a file came from, and an earlier version can be restored', async () => {
    const info = {
      ...file(7, 'IMG_7.jpg'), at: Date.UTC(2024, 7, 3, 14, 5), dateSource: 'exif', camera: 'Pixel 8', addedAt: 0, trashed: false,
      albums: [{ id: 2, name: 'Trip' }], sourcePaths: ['/home/me/Pictures/Trip/IMG_7.jpg'], formerSources: [], livePart: null, parts: [], partVersions: [],
      metadata: { takenAt: null, location: null, description: null, favorite: null, rating: null, sources: [] }, // no sidecars (as files.info says then)
      versions: [{ fileId: 7, name: 'IMG_7.jpg', size: 1024, addedAt: 0, trashed: false, current: true }, { fileId: 3, name: 'IMG_7.jpg', size: 900, addedAt: 0, trashed: false, current: false }],
    };
    await ep.mount('sb-viewer', { 'files.info': { result: info }, 'files.restoreVersion': { result: { albums: ['Trip'] } } }, { file: file(7, 'IMG_7.jpg'), index: 0, total: 2 });
    const viewer = ep.page.getByRole('dialog', { name: 'Viewer: IMG_7.jpg' });
    await viewer.waitFor();
    await viewer.focus();
    for (const key of ['ArrowLeft', 'ArrowRight', 'Delete', 'Escape']) await ep.page.keyboard.press(key);
    assert.deepEqual([await ep.fired('navigate'), await ep.fired('trash'), (await ep.fired('close')).length], [[1], [7], 1], 'no step back from the first file');

    await ep.page.getByRole('button', { name: 'Info' }).click();
    const aside = ep.page.getByRole('complementary', { name: 'Info' });
    await aside.getByText('/home/me/Pictures/Trip/IMG_7.jpg').waitFor();
    await aside.getByText('Pixel 8').waitFor();
    const reads = (await ep.calls('files.info')).length;
    await aside.getByRole('button', { name: 'Restore this version' }).click();
    await aside.getByText('That version is back in Trip.').waitFor();
    assert.deepEqual((await ep.calls('files.restoreVersion')).map((c) => c.params), [{ fileId: 3 }]);
    await waitFor(async () => (await ep.calls('files.info')).length === reads + 1, 5_000, 'the info read again after the restore');
    assert.equal((await ep.fired('changed')).length, 1);

    // an earlier version: no source names it now, but where it came from is said, and why it is not followed
    const earlier = { ...info, fileId: 3, sourcePaths: [], formerSources: [{ path: '/home/me/Pictures/Trip/IMG_7.jpg', why: 'earlier version' }] };
    await ep.mount('sb-viewer', { 'files.info': { result: earlier } }, { file: file(3, 'IMG_7.jpg'), index: 0, total: 1 });
    await ep.page.getByRole('button', { name: 'Info' }).click();
    await ep.page.getByRole('complementary', { name: 'Info' }).getByText('an earlier version: the file there is a newer version now').waitFor();
  });
});
