// The Electron shell's logic, tested without Electron (issue #7).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Status } from '../core/api/contract.js';
import { autostartEntry, launchCommand, setLinuxAutostart } from '../core/prefs/autostart-linux.js';
import { PrefsStore } from '../core/prefs/prefs-store.js';
import { tempDir } from '../../test/support/fixtures.js';
import { folderFromArgv, startsHidden } from './launch-at-startup.js';
import { throttleLatest, trayPresentation, trayProgressLine, trayRecentEvents, trayStatusLine } from './tray-state.js';
import { isOwnPage, permissionDecision, rendererIndexUrl, secureWebPreferences } from './window-security.js';

/** A status; `sync.errors` also gives that many current errors (recentErrors), as the engine would. */
function status(sync: Partial<NonNullable<Status['sync']>> | null): Status {
  const errors = sync?.errors ?? 0;
  return {
    library: '/lib', files: 0, albums: 0, storedBytes: 0, trashed: 0, errors, recentActivity: [],
    recentErrors: Array.from({ length: errors }, (_, i) => ({ at: i, code: 'SOURCE_UNREADABLE', path: `/p/${i}.jpg`, message: `/p/${i}.jpg cannot be read` })),
    sync: sync === null ? null : { state: 'idle', pausedReason: null, queued: 0, done: 0, total: 0, current: null, errors: 0, watches: [], ...sync },
  };
}

describe('tray: status → icon, tooltip, menu', () => {
  it('maps each state to its icon and DESIGN §6 line', () => {
    const cases: Array<[Partial<NonNullable<Status['sync']>>, string, string]> = [
      [{}, 'idle', 'All backed up'],
      [{ state: 'syncing', done: 11, total: 340 }, 'syncing', 'Backing up 12 of 340'],
      [{ state: 'paused', pausedReason: 'user' }, 'paused', 'Paused'],
      [{ state: 'error', errors: 3 }, 'error', '3 files could not be backed up'],
      [{ errors: 1 }, 'error', '1 file could not be backed up'],
    ];
    for (const [sync, icon, line] of cases) {
      const p = trayPresentation(status(sync));
      assert.equal(p.icon, icon);
      assert.equal(p.tooltip, `Shoebox — ${line}`);
      assert.deepEqual(p.menu[0], { kind: 'status', label: line });
      assert.equal(trayStatusLine(status(sync)), line);
    }
  });

  it('says what the window says: the files still in trouble, from earlier runs too, and lost stored bytes', () => {
    const earlier = status({});
    earlier.recentErrors = [{ at: 1, code: 'SOURCE_UNREADABLE', path: '/p/a.jpg', message: '/p/a.jpg cannot be read' }, { at: 2, code: 'FILE_EMPTY', path: '/p/b.jpg', message: '/p/b.jpg is empty' }];
    assert.equal(earlier.sync!.errors, 0, 'none in this run');
    assert.equal(trayStatusLine(earlier), '2 files could not be backed up');
    assert.equal(trayPresentation(earlier).icon, 'error');
    const lost = { ...status({}), missingBytes: 1 };
    assert.equal(trayStatusLine(lost), '1 file has lost its stored bytes');
    assert.equal(trayPresentation(lost).icon, 'error');
    assert.equal(trayStatusLine(status({ state: 'paused', pausedReason: 'upload' })), 'Paused while uploading');
    assert.equal(trayStatusLine(status(null)), 'Starting…');
    assert.equal(trayPresentation(status(null)).icon, 'idle');
  });

  it('the menu has Open Shoebox, Open library folder, Pause or Resume, and Quit', () => {
    const labels = (s: Status) => trayPresentation(s).menu.filter((m) => m.kind === 'action').map((m) => m.kind === 'action' && m.id);
    assert.deepEqual(labels(status({})), ['open', 'openLibrary', 'pause', 'quit']);
    assert.deepEqual(labels(status({ state: 'paused', pausedReason: 'user' })), ['open', 'openLibrary', 'resume', 'quit']);
  });

  it('while backing up, a progress line shows the percent done and the file at hand', () => {
    const s = status({ state: 'syncing', done: 85, total: 340, current: '/home/me/Pictures/Summer/IMG_0042.HEIC' });
    assert.equal(trayProgressLine(s), '25% done · IMG_0042.HEIC');
    assert.deepEqual(trayPresentation(s).menu.slice(0, 2), [{ kind: 'status', label: 'Backing up 86 of 340' }, { kind: 'status', label: '25% done · IMG_0042.HEIC' }]);
    assert.equal(trayProgressLine(status({})), null, 'no progress line when idle');
  });

  it('the menu lists the last three events, newest first, shortened to one line', () => {
    const s = status({});
    s.recentActivity = [
      { at: 1000, code: 'WATCH_ADDED', path: null, message: 'Watching /home/me/Pictures' },
      { at: 3000, code: 'NEW_VERSION', path: null, message: `Backed up a new version of ${'long-name-'.repeat(10)}.jpg` },
      { at: 500, code: 'MOVED', path: null, message: 'oldest' },
    ];
    s.recentErrors = [{ at: 2000, code: 'SOURCE_UNREADABLE', path: null, message: 'a.jpg cannot be read\n(EACCES)' }];
    const lines = trayRecentEvents(s, 3, (at) => `t${at}`);
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^t3000 Backed up a new version of long-name-.{20,}…$/);
    assert.ok(lines[0]!.length <= 66);
    assert.deepEqual(lines.slice(1), ['t2000 a.jpg cannot be read (EACCES)', 't1000 Watching /home/me/Pictures']);
    const menu = trayPresentation(s, (at) => `t${at}`).menu;
    assert.deepEqual(menu.slice(2, 6).map((m) => (m.kind === 'status' ? m.label : m.kind)), [lines[0], lines[1], lines[2], 'separator']);
  });

  it('updates are throttled to the latest value', async () => {
    const seen: number[] = [];
    const push = throttleLatest<number>(50, (v) => seen.push(v));
    for (let i = 1; i <= 10; i++) push(i);
    await new Promise((r) => setTimeout(r, 120));
    assert.deepEqual(seen, [1, 10]);
  });
});

describe('window security options', () => {
  it('sandboxed, isolated, no Node, web security on', () => {
    const p = secureWebPreferences('/app/preload.cjs');
    assert.equal(p.contextIsolation, true);
    assert.equal(p.sandbox, true);
    assert.equal(p.nodeIntegration, false);
    assert.equal(p.webSecurity, true);
    assert.equal(p.webviewTag, false);
    assert.equal(p.allowRunningInsecureContent, false);
  });

  it('navigation and IPC only from the app\'s own page; permissions refused', () => {
    const index = rendererIndexUrl('/opt/shoebox/build/renderer');
    assert.equal(isOwnPage(index, index), true);
    assert.equal(isOwnPage(`${index}#albums`, index), true);
    for (const bad of ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1:4750/', 'javascript:alert(1)', 'not a url']) assert.equal(isOwnPage(bad, index), false, bad);
    for (const perm of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) assert.equal(permissionDecision(perm), false);
  });

  it('the renderer page itself carries a strict CSP', () => {
    const html = fs.readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'; script-src 'self'/);
    assert.doesNotMatch(html, /https?:\/\//, 'no remote content');
  });
});

describe('launch at startup (Linux XDG autostart)', () => {
  it('writes the entry atomically with the AppImage path and --hidden, and removes it', () => {
    const dir = path.join(tempDir(), 'autostart');
    const cmd = launchCommand({ APPIMAGE: '/home/me/Apps/Shoebox 1.0.AppImage' }, '/tmp/.mount_x/shoebox');
    assert.deepEqual(cmd, ['/home/me/Apps/Shoebox 1.0.AppImage']);
    const file = setLinuxAutostart(true, { command: cmd, hidden: true, dir });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^\[Desktop Entry\]\nType=Application\nName=Shoebox\n/);
    assert.match(text, /\nExec="\/home\/me\/Apps\/Shoebox 1\.0\.AppImage" --hidden\n/);
    assert.deepEqual(fs.readdirSync(dir), ['shoebox.desktop'], 'no temp file left behind');
    setLinuxAutostart(false, { command: cmd, hidden: true, dir });
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('quotes Exec arguments per the Desktop Entry spec', () => {
    assert.match(autostartEntry(['/usr/bin/node', '/a b/"x"$.js', 'serve'], false), /Exec=\/usr\/bin\/node "\/a b\/\\\\"x\\\\"\\\\\$\.js" serve\n/);
    // a literal % is %% (a launcher would take `%u` for a field code: another library, or none; helper-50)
    assert.match(autostartEntry(['/usr/bin/node', 'cli.js', '--library', '/my lib %u', 'serve'], false), /Exec=\/usr\/bin\/node cli\.js --library "\/my lib %%u" serve\n/);
    assert.match(autostartEntry(['/usr/bin/node', '/lib/100%', 'serve'], false), /Exec=\/usr\/bin\/node \/lib\/100%% serve\n/);
  });

  it('start hidden when launched with --hidden; a second launch forwards a folder', () => {
    assert.equal(startsHidden(['shoebox', '--hidden'], false), true);
    assert.equal(startsHidden(['shoebox'], true), true);
    assert.equal(startsHidden(['shoebox'], false), false);
    assert.equal(folderFromArgv(['/opt/Shoebox/shoebox', '/home/me/Pictures']), '/home/me/Pictures');
    assert.equal(folderFromArgv(['/usr/bin/electron', '/app/build/main/electron/main.js', '--hidden']), undefined);
  });
});

describe('preferences file (conf, same schema as electron-store)', () => {
  it('has defaults, persists changes, and refuses values outside the schema', () => {
    const dir = tempDir();
    const a = new PrefsStore(dir);
    assert.deepEqual(a.get(), { launchAtStartup: false, startHidden: true, notifications: true });
    a.set({ launchAtStartup: true });
    assert.deepEqual(new PrefsStore(dir).get(), { launchAtStartup: true, startHidden: true, notifications: true });
    assert.equal(path.basename(a.path), 'config.json');
    assert.throws(() => a.set({ startHidden: 'yes' as unknown as boolean }), /startHidden/);
  });

  it('migrates a file written before startHidden existed', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ launchAtStartup: true, __internal__: { migrations: { version: '0.0.1' } } }));
    const p = new PrefsStore(dir);
    assert.deepEqual(p.get(), { launchAtStartup: true, startHidden: true, notifications: true }, 'a key added later takes its default');
    assert.equal((JSON.parse(fs.readFileSync(p.path, 'utf8')) as { __internal__: { migrations: { version: string } } }).__internal__.migrations.version, '0.1.0');
  });
});
