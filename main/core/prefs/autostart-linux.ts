import fs from 'node:fs';
import path from 'node:path';
import { userHome } from '../library/library-location.js';
import { writeFileAtomic } from '../atomic-write.js';

/** Where XDG autostart entries live ($XDG_CONFIG_HOME/autostart). */
export function autostartDir(env: NodeJS.ProcessEnv = process.env, home = userHome()): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(base, 'autostart');
}

/**
 * Quotes an argument for a .desktop Exec line (Desktop Entry spec: double quotes, escaped \\ " ` $;
 * a literal % is %% everywhere, else a launcher takes `%u` in a library path for a field code).
 */
export function quoteExecArg(arg: string): string {
  const a = arg.replace(/%/g, '%%');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  return `"${a.replace(/[\\"`$]/g, (c) => `\\\\${c}`)}"`;
}

/** The autostart entry for Shoebox. `hidden`: start in the tray without a window. */
export function autostartEntry(command: string[], hidden: boolean): string {
  const exec = [...command, ...(hidden ? ['--hidden'] : [])].map(quoteExecArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Shoebox',
    'Comment=Back up your photos and keep the library free of duplicates',
    `Exec=${exec}`,
    'Icon=shoebox',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Turns launch-at-startup on or off on Linux (XDG autostart). The file is written to a temp
 * name and renamed (a half-written entry is never seen), and removed when turned off.
 */
export function setLinuxAutostart(enabled: boolean, opts: { command: string[]; hidden: boolean; dir?: string }): string {
  const dir = opts.dir ?? autostartDir();
  const file = path.join(dir, 'shoebox.desktop');
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return file;
  }
  writeFileAtomic(file, autostartEntry(opts.command, opts.hidden), 0o644);
  return file;
}

/**
 * The command that starts Shoebox at login: the AppImage when running as one ($APPIMAGE is set
 * by the AppImage runtime, and the mount path changes every run), else the executable.
 */
export function launchCommand(env: NodeJS.ProcessEnv, execPath: string, args: string[] = []): string[] {
  return env.APPIMAGE ? [env.APPIMAGE] : [execPath, ...args];
}
