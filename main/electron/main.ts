// The desktop app: a thin Electron shell around the engine (DESIGN §6). It builds one Engine,
// connects the window through the IPC bridge, and adds the tray, single instance, launch at
// startup and native dialogs. Every decision lives in a pure module tested without Electron.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Tray, app, dialog, ipcMain, nativeImage, protocol, safeStorage, shell, type MenuItemConstructorOptions } from 'electron';
import Store from 'electron-store';
import { ApiDispatcher } from '../core/api/dispatcher.js';
import type { Status } from '../core/api/contract.js';
import { Engine, type RunHandle } from '../core/engine.js';
import { resolveLibraryDir } from '../core/library/library-location.js';
import { createLogger, streamSink } from '../core/logger.js';
import { PREFS_MIGRATIONS, PREFS_SCHEMA, type StoredPrefs } from '../core/prefs/prefs-store.js';
import { registerIpc } from './ipc-bridge.js';
import { MEDIA_BASE, mediaSchemePrivileges, registerMediaProtocol } from './media-protocol.js';
import { SafeStorageCredentialStore } from './safe-credentials.js';
import { applyLaunchAtStartup, folderFromArgv, startsHidden } from './launch-at-startup.js';
import { throttleLatest, trayPresentation } from './tray-state.js';
import { isOwnPage, permissionDecision, rendererIndexUrl, secureWebPreferences } from './window-security.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.resolve(here, '..', '..');
const rendererDir = path.join(buildDir, 'renderer');
const indexUrl = rendererIndexUrl(rendererDir);
const iconsDir = app.isPackaged ? path.join(process.resourcesPath, 'icons') : path.resolve(buildDir, '..', 'resources', 'icons');
const log = createLogger(streamSink(process.stderr, 'info'), process.env.SHOEBOX_DEBUG ?? '');

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
  let quitting = false;

  const store = new Store<StoredPrefs>({ name: 'config', schema: PREFS_SCHEMA, migrations: PREFS_MIGRATIONS });

  const showWindow = () => {
    if (!win || win.isDestroyed()) win = createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  const createWindow = (): BrowserWindow => {
    const w = new BrowserWindow({
      width: 1200, height: 800, minWidth: 800, minHeight: 500, show: false, title: 'Shoebox',
      icon: path.join(iconsDir, 'icon.png'),
      webPreferences: secureWebPreferences(path.join(buildDir, 'preload', 'index.cjs')),
    });
    w.webContents.on('will-navigate', (e, url) => {
      if (!isOwnPage(url, indexUrl)) e.preventDefault();
    });
    w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    w.webContents.session.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
    w.webContents.session.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
    w.on('close', (e) => {
      if (!quitting) {
        e.preventDefault(); // closing hides: Shoebox keeps running in the tray
        w.hide();
      }
    });
    void w.loadURL(indexUrl);
    w.once('ready-to-show', () => w.show());
    return w;
  };

  const updateTray = throttleLatest<Status>(500, (s) => {
    if (!tray) return;
    const p = trayPresentation(s);
    tray.setImage(nativeImage.createFromPath(path.join(iconsDir, process.platform === 'darwin' ? `tray-${p.icon}Template.png` : `tray-${p.icon}.png`)));
    tray.setToolTip(p.tooltip);
    const items: MenuItemConstructorOptions[] = p.menu.map((m) => {
      if (m.kind === 'separator') return { type: 'separator' };
      if (m.kind === 'status') return { label: m.label, enabled: false };
      const click = { open: showWindow, pause: () => engine?.gate.setUserPaused(true), resume: () => engine?.gate.setUserPaused(false), quit: () => { quitting = true; app.quit(); } }[m.id];
      return { label: m.label, click };
    });
    tray.setContextMenu(Menu.buildFromTemplate(items));
  });

  app.on('second-instance', (_e, argv) => {
    showWindow();
    const folder = folderFromArgv(argv);
    if (folder) dispatcher?.emit('addWatchRequest', { path: folder });
  });

  app.on('before-quit', () => {
    quitting = true;
  });

  app.on('will-quit', (e) => {
    if (!engine) return;
    e.preventDefault();
    const closing = engine;
    engine = undefined;
    void (async () => {
      stopStatusEvents?.(); // no status read after the library closes
      await run?.stop();
      await closing.close();
      app.exit(0);
    })();
  });

  app.on('window-all-closed', () => {
    // stay in the tray (DESIGN §6); quitting is in the tray menu
  });

  void app.whenReady().then(async () => {
    try {
      const credentials = new SafeStorageCredentialStore(safeStorage, path.join(app.getPath('userData'), 'remote-credentials.json'));
      engine = Engine.open({ libraryDir: resolveLibraryDir(undefined, process.env), log, credentials });
      dispatcher = new ApiDispatcher(engine, {
        shell: 'electron',
        nativeDialogs: true,
        storesCredentials: true,
        uploadUrl: null,
        mediaBase: MEDIA_BASE,
        prefs: { get: () => ({ launchAtStartup: store.get('launchAtStartup'), startHidden: store.get('startHidden') }), set: (c) => { for (const [k, v] of Object.entries(c)) if (v !== undefined) store.set(k as keyof StoredPrefs, v); return { launchAtStartup: store.get('launchAtStartup'), startHidden: store.get('startHidden') }; } },
        applyLaunchAtStartup: (enabled, hidden) => applyLaunchAtStartup(app, enabled, hidden),
        chooseFolder: async (purpose) => {
          const r = await dialog.showOpenDialog({ title: purpose === 'watch' ? 'Choose a folder to watch' : 'Choose folders or files to upload', properties: purpose === 'watch' ? ['openDirectory'] : ['openDirectory', 'openFile', 'multiSelections'] });
          return r.canceled ? [] : r.filePaths;
        },
      }, log);
      registerIpc(ipcMain, dispatcher, indexUrl, () => (win && !win.isDestroyed() ? [win.webContents] : []));
      registerMediaProtocol(protocol, engine.media, log);
      tray = new Tray(nativeImage.createFromPath(path.join(iconsDir, 'tray-idle.png')));
      tray.on('click', showWindow);
      // For diagnostics and the smoke test (test/electron): the shell's live objects.
      (globalThis as { shoeboxShell?: unknown }).shoeboxShell = { tray, window: () => win };
      dispatcher.onEvent((event, data) => {
        if (event === 'status') updateTray(data as Status);
      });
      stopStatusEvents = dispatcher.startStatusEvents();
      updateTray(engine.status());
      run = await engine.run();
      const hidden = startsHidden(process.argv, app.getLoginItemSettings().wasOpenedAsHidden ?? false) && store.get('startHidden');
      if (!hidden) showWindow();
      const folder = folderFromArgv(process.argv);
      if (folder) setTimeout(() => dispatcher?.emit('addWatchRequest', { path: folder }), 1500);
    } catch (err) {
      const message = (err as { userMessage?: string }).userMessage ?? (err as Error).message;
      dialog.showErrorBox('Shoebox cannot start', message);
      quitting = true;
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
