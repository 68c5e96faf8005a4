import path from 'node:path';
import { pathToFileURL } from 'node:url';
/**
 * [Note: Window security]
 * The renderer is sandboxed (DESIGN §6): context isolation, sandbox, no Node integration, web
 * security on, no remote content. It loads one local page and can navigate nowhere else; new
 * windows and permission requests are refused. These pure helpers hold the decisions so they
 * are tested without Electron; main.ts only wires them to Electron's events.
 */
export function secureWebPreferences(preloadPath) {
    return {
        preload: preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        spellcheck: false,
        navigateOnDragDrop: false,
    };
}
/** The window's own page. */
export function rendererIndexUrl(rendererDir) {
    return pathToFileURL(path.join(rendererDir, 'index.html')).href;
}
/** True if a navigation (or an IPC sender's frame) is the window's own page. Anything else is refused. */
export function isOwnPage(url, indexUrl) {
    try {
        const u = new URL(url);
        const own = new URL(indexUrl);
        return u.protocol === 'file:' && u.pathname === own.pathname;
    }
    catch {
        return false; // not a URL at all
    }
}
/** The answer to every permission request (camera, notifications, geolocation…): no. */
export function permissionDecision(_permission) {
    return false;
}
//# sourceMappingURL=window-security.js.map