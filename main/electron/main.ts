// The desktop app: a thin Electron shell around the engine (DESIGN §6). It builds one Engine,
// connects the window through the IPC bridge, and adds the tray, notifications, the log file,
// single instance, launch at startup and native dialogs. Every decision lives in a pure module
// tested without Electron (tray-state, notification-rules, window-state, window-events,
// electron-natives); this file only wires them to Electron.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Menu, Notification, Tray, app, dialog, ipcMain, nativeImage, protocol, safeStorage, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import Store from 'electron-store';
import { ApiDispatcher } from '../core/api/dispatcher.js';
import type { Status } from '../core/api/contract.js';
import { SQLITE_BINDING_ENV } from '../core/catalog/sqlite-binding.js';
import { Engine, type RunHandle } from '../core/engine.js';
import { ShoeboxError, errorMessage } from '../core/errors.js';
import { resolveLibraryDir } from '../core/library/library-location.js';
import { defaultLogDir, openLogFile } from '../core/log-file.js';
import { createLogger, streamSink, teeSink } from '../core/logger.js';
import { PREFS_MIGRATIONS, PREFS_SCHEMA, type StoredPrefs } from '../core/prefs/prefs-store.js';
import { guardAddonLoading } from './addon-guard.js';
import { createAppWindow } from './app-window.js';
import { devNativeDir, resolveSqliteBinding } from './electron-natives.js';
import { registerIpc } from './ipc-bridge.js';
import { MEDIA_BASE, mediaSchemePrivileges, registerMediaProtocol } from './media-protocol.js';
import { SafeStorageCredentialStore } from './safe-credentials.js';
import { applyLaunchAtStartup, folderFromArgv, startsHidden } from './launch-at-startup.js';
import { decideNotifications, initialNotifyState } from './notification-rules.js';
import { throttleLatest, trayPresentation } from './tray-state.js';
import { errorFields, logUnhandled } from './unhandled.js';
import { WindowEventGate } from './window-events.js';
import { ShellTrash } from '../core/free-up/system-trash.js';
import { rendererIndexUrl } from './window-security.js';
import { parseWindowState, type WindowState } from './window-state.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.resolve(here, '..', '..');
const indexUrl = rendererIndexUrl(path.join(buildDir, 'renderer'));
const iconsDir = app.isPackaged ? path.join(process.resourcesPath, 'icons') : path.resolve(buildDir, '..', 'resources', 'icons');
// [Note: Log file]: everything to the rotating file; warnings also to stderr (a terminal, when there is one).
const logFile = openLogFile(defaultLogDir());
const log = createLogger(teeSink(logFile.sink, streamSink(process.stderr, 'warn')), process.env.SHOEBOX_DEBUG ?? '');
logUnhandled(process, log);
// [Note: Native addons and Electron]: the catalog loads the Electron build of better-sqlite3,
// kept beside Node's; any addon loaded from here on that is built for another ABI is refused
// with what to do (those loaded while the imports above ran, sharp and onnxruntime, are N-API:
// native-addons.test.ts keeps it so).
guardAddonLoading(process);
const nativeDir = app.isPackaged ? path.join(process.resourcesPath, 'native') : devNativeDir(path.resolve(buildDir, '..'), process.platform, process.arch);
const sqliteBinding = resolveSqliteBinding(nativeDir, { versions: process.versions, platform: process.platform, arch: process.arch });

protocol.registerSchemesAsPrivileged([mediaSchemePrivileges]); // before ready: photos and videos for the window

if (!app.requestSingleInstanceLock()) {
  app.quit(); // the first instance gets 'second-instance' and focuses itself
} else {
  let win: BrowserWindow | undefined;
  let tray: Tray | undefined;
  let engine: Engine | undefined;
  let run: RunHandle | undefined;
  let dispatcher: ApiDispatcher | undefined;
  let stopStatusEvents: (() => void) | undefined;
  let stopCardEvents: (() => void) | undefined;
  let quitting = false;
  let trayMenuLabels: string[] = [];
  const gate = new WindowEventGate();

  const store = new Store<StoredPrefs>({ name: 'config', schema: PREFS_SCHEMA, migrations: PREFS_MIGRATIONS });
  const windowStore = new Store<{ window?: WindowState }>({ name: 'window-state' });
  const prefs = (): StoredPrefs => ({ launchAtStartup: store.get('launchAtStartup'), startHidden: store.get('startHidden'), notifications: store.get('notifications') });

  const showWindow = () => {
    if (!win || win.isDestroyed()) {
      win = createAppWindow({
        icon: path.join(iconsDir, 'icon.png'), preload: path.join(buildDir, 'preload', 'index.cjs'), indexUrl, log,
        saved: parseWindowState(windowStore.get('window')), save: (s) => windowStore.set('window', s),
        quitting: () => quitting, onPageReset: () => gate.reset(),
      });
    }
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const quit = () => {
    quitting = true;
    app.quit();
  };

  const openPath = async (target: string, what: string) => {
    const problem = await shell.openPath(target); // '' when it opened
    if (problem) throw new ShoeboxError('IO_ERROR', `Could not open ${what} (${target}): ${problem}`);
  };
  const openLibraryFolder = () => {
    if (engine) openPath(engine.paths.root, 'the library folder').catch((err: unknown) => log.warn('tray: open library folder failed', errorFields(err)));
  };

  const updateTray = throttleLatest<Status>(500, (s) => {
    if (!tray) return;
    const p = trayPresentation(s);
    tray.setImage(nativeImage.createFromPath(path.join(iconsDir, process.platform === 'darwin' ? `tray-${p.icon}Template.png` : `tray-${p.icon}.png`)));
    tray.setToolTip(p.tooltip);
    const actions = { open: showWindow, openLibrary: openLibraryFolder, pause: () => engine?.gate.setUserPaused(true), resume: () => engine?.gate.setUserPaused(false), quit };
    const items: MenuItemConstructorOptions[] = p.menu.map((m) => (m.kind === 'separator' ? { type: 'separator' } : m.kind === 'status' ? { label: m.label, enabled: false } : { label: m.label, click: actions[m.id] }));
    trayMenuLabels = p.menu.flatMap((m) => (m.kind === 'separator' ? [] : [m.label]));
    tray.setContextMenu(Menu.buildFromTemplate(items));
  });

  // Desktop notifications (notification-rules.ts) and sync errors into the log, from the status stream.
  let notifyState = initialNotifyState();
  let errorsLoggedUpTo = Date.now();
  const remoteErrors = new Map<string, string | null>();
  const shownNotices = new Set<Notification>(); // referenced until closed, or a click could find it collected
  const onStatus = (s: Status) => {
    updateTray(s);
    for (const e of s.recentErrors.filter((x) => x.at > errorsLoggedUpTo).reverse()) log.warn('sync error', { code: e.code, path: e.path, message: e.message });
    errorsLoggedUpTo = Math.max(errorsLoggedUpTo, ...s.recentErrors.map((e) => e.at));
    for (const r of s.remotes ?? []) {
      if (r.lastError !== (remoteErrors.get(r.url) ?? null) && r.lastError) log.warn('offsite push failed', { url: r.url, error: r.lastError });
      remoteErrors.set(r.url, r.lastError);
    }
    const decided = decideNotifications(notifyState, s, Date.now(), store.get('notifications'));
    notifyState = decided.state;
    for (const n of decided.notices) {
      log.info('notification', { kind: n.kind, title: n.title });
      if (!Notification.isSupported()) continue;
      const shown = new Notification({ title: n.title, body: n.body });
      shownNotices.add(shown);
      shown.on('click', showWindow);
      shown.on('close', () => shownNotices.delete(shown));
      shown.show();
    }
  };

  app.on('second-instance', (_e, argv) => {
    showWindow();
    const folder = folderFromArgv(argv);
    if (folder) dispatcher?.emit('addWatchRequest', { path: folder }); // held until the window listens
  });

  app.on('before-quit', () => {
    quitting = true;
  });

  // Status events come on changes; rules that count time (a remote failing for 30 minutes) also
  // need a look when nothing changes.
  let statusTick: NodeJS.Timeout | undefined;
  let stopping = false;
  app.on('will-quit', (e) => {
    e.preventDefault(); // app.exit below ends the process once the library is closed
    if (stopping) return;
    stopping = true;
    const closing = engine;
    engine = undefined;
    void (async () => {
      let code = 0;
      try {
        stopStatusEvents?.(); // no status read after the library closes
        stopCardEvents?.();
        clearInterval(statusTick);
        await run?.stop();
        await closing?.close();
        log.info('Shoebox stopped');
      } catch (err) {
        code = 1;
        log.error('stopping failed', errorFields(err));
      }
      await logFile.close();
      app.exit(code);
    })();
  });

  app.on('window-all-closed', () => {
    // stay in the tray (DESIGN §6); quitting is in the tray menu
  });

  void app.whenReady().then(async () => {
    try {
      if ('problem' in sqliteBinding) throw new ShoeboxError('NATIVE_BUILD_MISSING', sqliteBinding.problem);
      process.env[SQLITE_BINDING_ENV] = sqliteBinding.file; // read by openDatabase, here and in worker threads
      const credentials = new SafeStorageCredentialStore(safeStorage, path.join(app.getPath('userData'), 'remote-credentials.json'));
      engine = Engine.open({ libraryDir: resolveLibraryDir(undefined, process.env), log, credentials, ...shellTrash() });
      log.info('Shoebox started', { version: app.getVersion(), electron: process.versions.electron, library: engine.paths.root, sqlite: sqliteBinding.file, pid: process.pid });
      dispatcher = new ApiDispatcher(engine, {
        shell: 'electron',
        nativeDialogs: true,
        storesCredentials: true,
        uploadUrl: null,
        logFile: logFile.path,
        mediaBase: MEDIA_BASE,
        openLog: () => openPath(logFile.path, 'the log file'),
        prefs: { get: prefs, set: (c) => { for (const [k, v] of Object.entries(c)) if (v !== undefined) store.set(k as keyof StoredPrefs, v); return prefs(); } },
        applyLaunchAtStartup: (enabled, hidden) => applyLaunchAtStartup(app, enabled, hidden),
        chooseFolder: async (purpose) => {
          const r = await dialog.showOpenDialog({ title: purpose === 'watch' ? 'Choose a folder to watch' : 'Choose folders or files to upload', properties: purpose === 'watch' ? ['openDirectory'] : ['openDirectory', 'openFile', 'multiSelections'] });
          return r.canceled ? [] : r.filePaths;
        },
      }, log);
      registerIpc(ipcMain, dispatcher, indexUrl, () => (win && !win.isDestroyed() ? [win.webContents] : []), gate);
      registerMediaProtocol(protocol, engine.media, log);
      tray = new Tray(nativeImage.createFromPath(path.join(iconsDir, 'tray-idle.png')));
      tray.on('click', showWindow);
      // For diagnostics and the smoke test (test/electron): the shell's live objects.
      (globalThis as { shoeboxShell?: unknown }).shoeboxShell = { tray, window: () => win, trayMenu: () => trayMenuLabels, logFile: logFile.path, sqliteBinding: sqliteBinding.file, quit };
      dispatcher.onEvent((event, data) => {
        if (event === 'status') onStatus(data as Status);
      });
      stopStatusEvents = dispatcher.startStatusEvents();
      stopCardEvents = dispatcher.startCameraCardEvents();
      onStatus(engine.status());
      statusTick = setInterval(() => {
        try {
          if (engine) onStatus(engine.status());
        } catch (err) {
          log.warn('status check failed', errorFields(err));
        }
      }, 60_000);
      run = await engine.run();
      const hidden = startsHidden(process.argv, app.getLoginItemSettings().wasOpenedAsHidden ?? false) && store.get('startHidden');
      if (!hidden) showWindow();
      const folder = folderFromArgv(process.argv);
      if (folder) dispatcher.emit('addWatchRequest', { path: folder }); // [Note: Window ready handshake]
    } catch (err) {
      log.error('Shoebox cannot start', errorFields(err));
      const message = errorMessage(err);
      dialog.showErrorBox('Shoebox cannot start', `${message}\n\nThe log is in ${logFile.path}.`);
      quitting = true;
      await logFile.close();
      app.exit(1);
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (/^https:\/\//.test(url)) void shell.openExternal(url); // links to help pages open in the browser, never in-app
      return { action: 'deny' };
    });
  });
}

/**
 * Free up space's system Trash: on macOS and Windows, Electron's `shell.trashItem` (the Finder's
 * Trash, the Recycle Bin); on Linux the engine's own freedesktop Trash, which writes the
 * .trashinfo first and says where each file went ([Note: The freedesktop Trash]).
 */
function shellTrash(): { systemTrash?: ShellTrash } {
  if (process.platform !== 'darwin' && process.platform !== 'win32') return {};
  return { systemTrash: new ShellTrash((file) => shell.trashItem(file), process.platform === 'win32' ? 'the Recycle Bin' : 'the Trash') };
}
