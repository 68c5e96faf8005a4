// The Shoebox window: sandboxed ([Note: Window security]), hidden rather than closed (the app
// lives in the tray), opened where it was last time (window-state.ts).
import { BrowserWindow, screen } from 'electron';
import { throttleLatest } from './tray-state.js';
import { isOwnPage, permissionDecision, secureWebPreferences } from './window-security.js';
import { WINDOW_SIZE, restoreWindowBounds } from './window-state.js';
/** Creates the window (shown when ready). */
export function createAppWindow(o) {
    const primary = screen.getPrimaryDisplay();
    const areas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
    const bounds = restoreWindowBounds(o.saved, areas);
    const w = new BrowserWindow({
        ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
        width: bounds.width, height: bounds.height, minWidth: WINDOW_SIZE.minWidth, minHeight: WINDOW_SIZE.minHeight,
        show: false, title: 'Shoebox', icon: o.icon,
        webPreferences: secureWebPreferences(o.preload),
    });
    if (bounds.maximized)
        w.maximize();
    const saveNow = () => {
        if (!w.isDestroyed())
            o.save({ bounds: w.getNormalBounds(), maximized: w.isMaximized() });
    };
    const saveSoon = throttleLatest(1000, saveNow); // moves and resizes come in bursts
    for (const e of ['move', 'resize', 'maximize', 'unmaximize'])
        w.on(e, () => saveSoon(null));
    w.webContents.on('will-navigate', (e, url) => {
        if (!isOwnPage(url, o.indexUrl))
            e.preventDefault();
    });
    w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    w.webContents.session.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
    w.webContents.session.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
    w.webContents.on('did-start-loading', () => o.onPageReset());
    w.webContents.on('render-process-gone', () => o.onPageReset());
    w.on('close', (e) => {
        saveNow();
        if (!o.quitting()) {
            e.preventDefault(); // closing hides: Shoebox keeps running in the tray
            w.hide();
        }
    });
    w.loadURL(o.indexUrl).catch((err) => o.log.error('the window could not load its page', { url: o.indexUrl, error: err?.message ?? String(err) }));
    w.once('ready-to-show', () => w.show());
    return w;
}
//# sourceMappingURL=app-window.js.map