import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ShoeboxError, isErrno, libraryWriteError } from '../errors.js';

/**
 * The default library folder: the platform's per-user app-data location.
 * Linux follows XDG ($XDG_DATA_HOME, else ~/.local/share); macOS and Windows use their
 * application-support folders. `--library` and SHOEBOX_LIBRARY override it.
 */
export function defaultLibraryDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Shoebox', 'Library');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Shoebox', 'Library');
    default: {
      const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
      return path.join(dataHome, 'shoebox', 'library');
    }
  }
}

/** Picks the library folder: explicit option, then SHOEBOX_LIBRARY, then the platform default. */
export function resolveLibraryDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.SHOEBOX_LIBRARY ?? defaultLibraryDir(env);
  return path.resolve(chosen);
}

/** The fixed layout of a library folder. All paths are relative to the library, so a copied library still opens. */
export function libraryPaths(libraryDir: string) {
  return {
    root: libraryDir,
    catalog: path.join(libraryDir, 'catalog.sqlite'),
    objects: path.join(libraryDir, 'objects'),
    tmp: path.join(libraryDir, 'tmp'),
    procs: path.join(libraryDir, 'procs'),
    thumbnails: path.join(libraryDir, 'thumbnails'),
    runLock: path.join(libraryDir, 'engine.lock'),
    uploads: path.join(libraryDir, 'uploads'),
    runStatus: path.join(libraryDir, 'run-status.json'),
    /** Verified copies of the catalog (catalog-snapshots.ts). */
    snapshots: path.join(libraryDir, 'snapshots'),
    /** Damaged things moved aside, never deleted (a damaged catalog, damaged blobs). */
    damaged: path.join(libraryDir, 'damaged'),
    /** Work folder of `check --recover`; its state.json marks a recovery in progress. */
    recovery: path.join(libraryDir, 'recovery'),
    /** Blob files no catalog row references, kept 30 days before removal (blobs/quarantine.ts). */
    quarantine: path.join(libraryDir, 'quarantine'),
  };
}

/** The layout returned by libraryPaths. */
export type LibraryPaths = ReturnType<typeof libraryPaths>;

/** Makes the library's folders (or refuses: no library there and `create` is false, not a folder, not writable). */
export function prepareLibraryDir(paths: LibraryPaths, create: boolean): void {
  if (!create && !fs.existsSync(paths.catalog)) {
    throw new ShoeboxError('NOT_FOUND', `There is no Shoebox library at ${paths.root} yet. Back something up first (\`shoebox upload FOLDER\`), or point --library at an existing one.`);
  }
  try {
    for (const dir of [paths.root, paths.objects, paths.tmp, paths.procs, paths.uploads]) fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(paths.root, fs.constants.W_OK);
  } catch (err) {
    if (isErrno(err, 'ENOTDIR', 'EEXIST')) {
      throw new ShoeboxError('LIBRARY_NOT_WRITABLE', `The library location ${paths.root} is not a folder. Choose another with --library.`, { cause: err });
    }
    throw libraryWriteError(err, paths.root);
  }
}
