import path from 'node:path';
import { userHome } from '../library/library-location.js';
import Conf from 'conf';

/** Preferences (DESIGN §6). The library location is shown, not stored here (it is chosen at start). */
export interface StoredPrefs {
  launchAtStartup: boolean;
  startHidden: boolean;
  /** Desktop notifications for what needs the user (main/electron/notification-rules.ts). */
  notifications: boolean;
}

/**
 * [Note: Preferences file]
 * The desktop app keeps preferences with electron-store, which imports `electron` at load and
 * so cannot run under plain Node; the engine, the CLI and the tests use its base library `conf`
 * on the same file (`config.json` in the app's config folder) with the same schema and
 * migrations, so both see the same settings.
 */
export const PREFS_SCHEMA = {
  launchAtStartup: { type: 'boolean', default: false },
  startHidden: { type: 'boolean', default: true },
  notifications: { type: 'boolean', default: true },
} as const;

/** Migrations by app version (conf runs those newer than the file's recorded version). */
export const PREFS_MIGRATIONS = {
  '0.1.0': (store: { has(key: string): boolean; set(key: string, value: unknown): void }) => {
    if (!store.has('startHidden')) store.set('startHidden', true);
  },
};

/** The app's config folder: where Electron's userData is for "Shoebox" (~/.config/Shoebox on Linux). */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = userHome()): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Shoebox');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Shoebox');
  return path.join(env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config'), 'Shoebox');
}

/** Preferences read and written through conf. */
export class PrefsStore {
  private readonly conf: Conf<StoredPrefs>;

  constructor(configDir: string = defaultConfigDir()) {
    this.conf = new Conf<StoredPrefs>({
      cwd: configDir,
      configName: 'config',
      projectName: 'shoebox',
      projectVersion: '0.1.0',
      schema: PREFS_SCHEMA,
      migrations: PREFS_MIGRATIONS,
      clearInvalidConfig: false,
    });
  }

  /** Current preferences. */
  get(): StoredPrefs {
    return { launchAtStartup: this.conf.get('launchAtStartup'), startHidden: this.conf.get('startHidden'), notifications: this.conf.get('notifications') };
  }

  /** Changes some preferences; returns all. */
  set(changes: Partial<StoredPrefs>): StoredPrefs {
    for (const [k, v] of Object.entries(changes) as Array<[keyof StoredPrefs, boolean | undefined]>) if (v !== undefined) this.conf.set(k, v);
    return this.get();
  }

  /** The file the preferences live in. */
  get path(): string {
    return this.conf.path;
  }
}
