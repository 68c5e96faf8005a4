import path from 'node:path';
import { launchCommand, setLinuxAutostart } from '../core/prefs/autostart-linux.js';
/**
 * Launch at startup (DESIGN §6): macOS and Windows through the OS login items, Linux through an
 * XDG autostart entry (Exec = the AppImage when running as one). `hidden` adds `--hidden`, so
 * a launch at login starts in the tray without a window.
 */
export function applyLaunchAtStartup(app, enabled, hidden, env = process.env) {
    if (process.platform === 'darwin' || process.platform === 'win32') {
        app.setLoginItemSettings({ openAtLogin: enabled, openAsHidden: hidden, args: hidden ? ['--hidden'] : [] });
        return;
    }
    setLinuxAutostart(enabled, { command: launchCommand(env, process.execPath, app.isPackaged ? [] : [app.getAppPath()]), hidden });
}
/** True if this launch should start hidden in the tray (launched at login with --hidden). */
export function startsHidden(argv, loginItemWasOpenedAsHidden) {
    return argv.includes('--hidden') || loginItemWasOpenedAsHidden;
}
/** A folder a (second) launch asked to watch: the last absolute path argument that isn't the app itself. */
export function folderFromArgv(argv) {
    return argv.slice(1).filter((a) => !a.startsWith('-') && !/\.(c|m)?js$/.test(a) && !/\.asar$/.test(a) && path.isAbsolute(a)).at(-1);
}
//# sourceMappingURL=launch-at-startup.js.map