import Database from 'better-sqlite3';
import { ShoeboxError } from '../errors.js';
/**
 * The variable through which the desktop app names the Electron build of better-sqlite3 (see
 * [Note: Native addons and Electron] in main/electron/native-addons.ts). Set in the main process
 * before the engine opens; worker threads inherit it with the environment.
 */
export const SQLITE_BINDING_ENV = 'SHOEBOX_SQLITE_BINDING';
/**
 * The `nativeBinding` better-sqlite3 should load in this runtime: none under Node (the build
 * `npm ci` made in node_modules), the named Electron build under Electron. Under Electron without
 * one it refuses with what to do, instead of Electron's "compiled against a different Node.js
 * version". Pure: the runtime is read from the `versions` and `env` given.
 */
export function sqliteNativeBinding(versions = process.versions, env = process.env) {
    if (!versions.electron)
        return undefined; // a variable inherited by a Node process changes nothing
    const file = env[SQLITE_BINDING_ENV];
    if (!file) {
        throw new ShoeboxError('NATIVE_BUILD_MISSING', `Shoebox's catalog library (better-sqlite3) has no build for Electron ${versions.electron} (ABI ${versions.modules ?? '?'}), and Node's build cannot load here. ` +
            'Start the app with `npm start`, which builds it once, or reinstall Shoebox.');
    }
    return file;
}
/** Opens a SQLite database with the better-sqlite3 build for this runtime: every catalog connection goes through here. */
export function openDatabase(file, options = {}) {
    const nativeBinding = sqliteNativeBinding();
    return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
//# sourceMappingURL=sqlite-binding.js.map