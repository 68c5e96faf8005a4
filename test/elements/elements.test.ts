// Element tests of the window's views and leaf elements, in Debian's Chromium through Playwright
// ([Note: Element tests run in Chromium], renderer/test/element-harness.ts): each element is
// mounted alone inside a fake session whose API answers from a script, so every state —
// pending, error with retry, empty, disconnected, done — is shown on purpose and checked.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright';
import { CHROMIUM_ARGS, chromiumPath } from '../support/serve-process.js';

const exe = chromiumPath();
const repo = fileURLToPath(new URL('../../../', import.meta.url));

type Script = { result: unknown } | { error: { code: string; userMessage: string } } | { pending: true };
/** The page's window.harness, as far as these tests use it. */
interface Harness {
  mount(tag: string, script: Record<string, Script | Script[]>, props?: Record<string, unknown>, session?: Record<string, unknown>): void;
  answer(method: string, s: Script | Script[]): void;
  calls(method?: string): Array<{ method: string; params: unknown }>;
  session(change: Record<string, unknown>): void;
  set(props: Record<string, unknown>): void;
}
type W = { harness: Harness };

const status = (sync: Record<string, unknown> | null) => ({
  library: '/lib', files: 3, albums: 1, storedBytes: 0, trashed: 0, errors: 0, recentErrors: [], recentActivity: [],
  sync: sync && { state: 'idle', pausedReason: null, queued: 0, done: 0, total: 0, current: null, errors: 0, watches: [], ...sync },
});
const storage = { storedBytes: 2048, storedBlobs: 1, filesBytes: 4096, files: 1, albums: [{ name: 'Trip', files: 1, bytes: 4096 }], trash: { files: 0, bytes: 0, freedByPurge: 0 }, duplicates: { groups: 1, extraCopies: 1, extraBytes: 2048 }, thumbnailsBytes: 0 };

describe('element tests (Chromium)', { skip: exe ? false : 'Chromium is not installed (`.ci/setup test` installs it)' }, () => {
  let browser: Browser;
  let page: Page;
  const mount = (tag: string, script: Record<string, Script | Script[]>, props: Record<string, unknown> = {}, session: Record<string, unknown> = {}) =>
    page.evaluate((a) => (globalThis as unknown as W).harness.mount(a.tag, a.script, a.props, a.session), { tag, script, props, session });
  const calls = (method: string) => page.evaluate((m) => (globalThis as unknown as W).harness.calls(m), method);

  before(async () => {
    const bundle = await build({ entryPoints: [path.join(repo, 'renderer/test/element-harness.ts')], bundle: true, format: 'iife', target: ['chrome120'], write: false, logLevel: 'warning' });
    browser = await chromium.launch({ executablePath: exe!, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  });
  after(async () => {
    await browser?.close();
  });

  it('sb-state shows each state, and an error offers Try again', async () => {
    for (const [kind, text] of [['pending', 'Loading'], ['empty', 'Nothing here yet.'], ['disconnected', 'Not connected to Shoebox.']] as const) {
      await mount('sb-state', {}, { kind });
      await page.getByText(text).first().waitFor();
    }
    await mount('sb-state', {}, { kind: 'error', message: 'The disk is gone.' });
    await page.getByRole('alert').getByText('The disk is gone.').waitFor();
    await page.getByRole('button', { name: 'Try again' }).waitFor();
  });

  it('a view shows Loading while the engine has not answered, then its content', async () => {
    await mount('sb-storage-view', { 'storage.get': { pending: true } });
    await page.getByRole('status').getByText('Loading storage…').waitFor();
    await mount('sb-storage-view', { 'storage.get': { result: storage } });
    await page.getByRole('rowheader', { name: 'Stored on disk' }).waitFor();
    await page.getByText('1 file, counted as if each were its own copy').waitFor();
    await page.getByText('1 extra copy in 1 group').waitFor();
  });

  it('a failed load shows the engine\'s message and Try again reloads', async () => {
    await mount('sb-storage-view', { 'storage.get': [{ error: { code: 'IO_ERROR', userMessage: 'The library disk reported an I/O error.' } }, { result: storage }] });
    await page.getByRole('alert').getByText('The library disk reported an I/O error.').waitFor();
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('rowheader', { name: 'Stored on disk' }).waitFor();
    assert.equal((await calls('storage.get')).length, 2);
  });

  it('disconnected: a view with nothing loaded says so; one with data marks it as possibly out of date', async () => {
    await mount('sb-trash-view', { 'trash.list': { pending: true } }, {}, { connected: false });
    await page.getByText('Not connected to Shoebox.').waitFor();
    await mount('sb-trash-view', { 'trash.list': { result: [{ fileId: 1, name: 'a.jpg', size: 10, trashedAt: 0, albums: ['Trip'] }] } });
    await page.getByRole('cell', { name: 'a.jpg', exact: true }).waitFor();
    await page.evaluate(() => (globalThis as unknown as W).harness.session({ connected: false }));
    await page.getByText('What you see may be out of date').waitFor();
    await page.getByRole('cell', { name: 'a.jpg', exact: true }).waitFor();
  });

  it('Trash: empty state, and Restore sends exactly the ticked files', async () => {
    await mount('sb-trash-view', { 'trash.list': { result: [] } });
    await page.getByText('Trash is empty.').waitFor();
    await mount('sb-trash-view', { 'trash.list': { result: [{ fileId: 4, name: 'a.jpg', size: 10, trashedAt: 0, albums: [] }, { fileId: 9, name: 'b.jpg', size: 10, trashedAt: 0, albums: [] }] }, 'trash.restore': { result: { restored: 1 } } });
    await page.getByRole('checkbox', { name: 'Select b.jpg' }).check();
    await page.getByRole('button', { name: /^Restore/ }).click();
    await page.getByText('1 file restored.').waitFor();
    assert.deepEqual((await calls('trash.restore')).map((c) => c.params), [{ fileIds: [9] }]);
  });

  it('the status indicator never says "All backed up" while disconnected, and counts in words', async () => {
    await mount('sb-status-indicator', {}, { status: status({}), connected: true });
    await page.getByRole('button', { name: 'All backed up' }).waitFor();
    await page.evaluate(() => (globalThis as unknown as W).harness.set({ connected: false }));
    await page.getByRole('button', { name: 'Not connected' }).waitFor();
    assert.equal(await page.getByText('All backed up').count(), 0);
    await mount('sb-status-indicator', {}, { status: status({ errors: 1 }), connected: true });
    await page.getByRole('button', { name: '1 file could not be backed up' }).waitFor();
    await mount('sb-status-indicator', {}, { status: status(null), connected: true });
    await page.getByRole('button', { name: 'Backup engine not running' }).click();
    assert.equal(await page.getByText(/shoebox run|`shoebox/).count(), 0, 'no CLI command in the window');
  });

  it('the watch sidebar shows the engine\'s message for a bad path, and its menu closes with Esc', async () => {
    const watch = { id: 1, path: '/home/me/Pictures', mode: 'single', poll: false, paused: false, addedAt: 0, state: 'watching', message: null, files: 1, bytes: 10, pending: 0 };
    await mount('sb-watch-sidebar', { 'watches.inspect': { error: { code: 'INVALID_ARGUMENT', userMessage: 'Type the folder\'s full path, starting with /.' } } }, { watches: [watch] });
    await page.getByText('1 file').waitFor();
    await page.getByRole('button', { name: 'Add folder' }).click();
    await page.getByLabel(/Folder to watch/).fill('~/Pictures');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').getByText('Type the folder\'s full path, starting with /.').waitFor();
    assert.deepEqual((await calls('watches.inspect')).map((c) => c.params), [{ path: '~/Pictures' }], 'the typed value is sent as typed');
    await page.getByRole('button', { name: /More actions/ }).click();
    await page.getByRole('menuitem', { name: 'Pause' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /More actions/ }).click();
    await page.mouse.click(1000, 700); // outside
    await page.getByRole('menu').waitFor({ state: 'detached' });
  });

  it('Deduplicate files keeps an unticked group unticked, and the chosen copy, after an apply', async () => {
    const copy = (fileId: number, name: string) => ({ fileId, name, size: 5, mediaType: 'image/jpeg', width: null, height: null, takenAt: null, modifiedAt: null, createdAt: 0, albums: ['A'], sourcePath: null });
    const g1 = { id: 'g1', hash: 'a'.repeat(64), size: 5, copies: [copy(1, 'one.jpg'), copy(2, 'one copy.jpg')], keep: 1 };
    const g2 = { id: 'g2', hash: 'b'.repeat(64), size: 5, copies: [copy(3, 'two.jpg'), copy(4, 'two copy.jpg')], keep: 3 };
    const g3 = { id: 'g3', hash: 'c'.repeat(64), size: 5, copies: [copy(5, 'three.jpg'), copy(6, 'three copy.jpg')], keep: 5 };
    await mount('sb-dedup-review', {
      'dedup.groups': [{ result: { total: 3, groups: [g1, g2, g3] } }, { result: { total: 2, groups: [g2, g3] } }],
      'dedup.apply': { result: { results: [{ hash: g1.hash, status: 'applied', trashed: 1, albums: ['A'] }], storage } },
    });
    await page.getByRole('region', { name: 'Duplicate group: two.jpg' }).getByRole('checkbox').uncheck();
    await page.getByRole('region', { name: 'Duplicate group: three.jpg' }).getByRole('radio').nth(1).check();
    await page.getByRole('region', { name: 'Duplicate group: three.jpg' }).getByRole('checkbox').uncheck();
    await page.getByRole('button', { name: 'Move 1 copy to Trash' }).click();
    await page.getByText('Done: 1 group, 1 copy moved to Trash').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Duplicate group: two.jpg' }).getByRole('checkbox').isChecked(), false, 'still unticked');
    assert.equal(await page.getByRole('region', { name: 'Duplicate group: three.jpg' }).getByRole('radio').nth(1).isChecked(), true, 'the chosen copy is still chosen');
    assert.equal(await page.getByText(/group g\d|[0-9a-f]{12}/).count(), 0, 'no group ids or hashes shown');
  });

  it('the upload summary adds up and names new names for stored bytes', async () => {
    const text = await page.evaluate(() => (globalThis as unknown as { harness: { pure: { uploadSummaryText(s: unknown): string } } }).harness.pure.uploadSummaryText({ filesTotal: 6, stored: 1, created: 2, linked: 1, skipped: 1, ignored: 0, vanished: 0, failed: 1, bytesAdded: 1024, failures: [], interrupted: false, durationMs: 1 }));
    assert.equal(text, '6 files: 1 new, 2 new names for photos already stored, 1 added to more albums, 1 already backed up, 1 failed. 1.0 KiB added.');
  });

  it('an upload summary says what came of Takeout sidecars, RAW+JPEG pairs and XMP sidecars', async () => {
    const text = await page.evaluate(() => (globalThis as unknown as { harness: { pure: { importSummaryText(s: unknown): string | null } } }).harness.pure.importSummaryText({
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
    await page.getByText('from its Google Takeout sidecar (takes precedence over the photo’s own)').waitFor();
    await page.getByText(/the file’s own metadata: .*2001.*\(not used\)/).waitFor();
    await page.getByText('48.85840° N, 2.29450° E').waitFor();
    await page.getByText('Eiffel Tower at dusk').waitFor();
    await page.getByLabel('favourite').waitFor();
    await page.getByLabel('4 of 5').waitFor();
    await page.getByText('XMP sidecar: /p/x.xmp').waitFor();
    await page.getByText('IMG_1.CR2 (23.8 MiB)').waitFor();
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
    await page.getByRole('rowheader', { name: 'August 2024', exact: true }).waitFor();
    await page.getByRole('rowheader', { name: 'July 2024', exact: true }).waitFor();
    await page.getByRole('gridcell', { name: 'IMG_0.jpg' }).click({ modifiers: ['Control'] });
    await page.getByRole('gridcell', { name: 'IMG_2.jpg' }).click({ modifiers: ['Shift'] });
    await page.getByText('3 files selected').waitFor();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await page.getByRole('gridcell', { name: 'IMG_1.jpg' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Viewer: IMG_1.jpg' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('grid keyboard moves: rows, columns, sections, Page keys, Home/End (pure layout)', async () => {
    const r = await page.evaluate(() => {
      type P = { layoutRows: (s: unknown[], c: number) => unknown; moveFocus: (l: unknown, t: number, i: number, k: string, p: number) => number };
      const { layoutRows, moveFocus } = (globalThis as unknown as { harness: { pure: P } }).harness.pure;
      // two sections of 5 and 3, 3 columns: rows [0 1 2] [3 4] | [5 6 7]
      const l = layoutRows([{ label: 'a', group: 'm', count: 5 }, { label: 'b', group: 'm', count: 3 }], 3);
      return ['ArrowDown', 'ArrowRight', 'End', 'Home', 'PageDown'].map((k) => moveFocus(l, 8, 1, k, 2)).concat([moveFocus(l, 8, 4, 'ArrowDown', 1), moveFocus(l, 8, 6, 'ArrowUp', 1)]);
    });
    assert.deepEqual(r, [4, 2, 7, 0, 6, 6, 4]);
  });

  it('selection ranges run from the anchor; paths split on either separator', async () => {
    const r = await page.evaluate(() => {
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
