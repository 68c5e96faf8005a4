import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ShoeboxError, isErrno, libraryWriteError } from '../errors.js';
import { notAFolderOnPath } from '../not-a-folder.js';
import { refuseKernelFolderTarget } from '../system-folders.js';

/**
 * The default library folder: the platform's per-user app-data location.
 * Linux follows XDG ($XDG_DATA_HOME, else ~/.local/share); macOS and Windows use their
 * application-support folders. `--library` and SHOEBOX_LIBRARY override it.
 */
export function defaultLibraryDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = userHome()): string {
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

/**
 * This user's home folder, always absolute: $HOME when it is an absolute path, else the
 * password database's. An empty or relative $HOME would otherwise make every path under it
 * relative to the current folder (a library, a Trash created wherever the command was run).
 */
export function userHome(): string {
  const home = os.homedir();
  if (path.isAbsolute(home)) return home;
  let fromPasswd = '';
  try {
    fromPasswd = os.userInfo().homedir;
  } catch {
    // no entry for this user
  }
  if (path.isAbsolute(fromPasswd)) return fromPasswd;
  throw new ShoeboxError('USAGE', `This user has no home folder (HOME is ${home === '' ? 'empty' : `"${home}"`} and the user database has none): set HOME to an absolute path, or give the library with --library DIR.`);
}

/** Picks the library folder: explicit option, then SHOEBOX_LIBRARY, then the platform default. */
export function resolveLibraryDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  // An empty SHOEBOX_LIBRARY is a mistake (a variable set from nothing), not "here".
  if (explicit === undefined && env.SHOEBOX_LIBRARY === '') throw new ShoeboxError('USAGE', 'SHOEBOX_LIBRARY is set but empty: set it to the library folder, or unset it to use the default one.');
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
    /** Zeros, deleted to let commands run on a full disk ([Note: The disk reserve]). */
    reserve: path.join(libraryDir, 'reserve'),
  };
}

/** The layout returned by libraryPaths. */
export type LibraryPaths = ReturnType<typeof libraryPaths>;

/**
 * Refuses a library location that is not a folder (`--library /dev/null`, a photo given by
 * mistake), lies under a file, or is in /proc, /sys or /dev ([Note: Nothing is written under
 * /proc]), before anything looks inside it: checked first by every command, so the person hears
 * what is wrong with the path rather than a raw ENOTDIR or a hang.
 */
export function checkLibraryLocation(root: string): void {
  const blocker = notAFolderOnPath(root);
  if (!blocker) return refuseKernelFolderTarget(root, 'keep a library there');
  const where = blocker.path === root ? `${root} is ${blocker.kind}` : `${blocker.path} (on the way to ${root}) is ${blocker.kind}`;
  throw new ShoeboxError('NOT_A_FOLDER', `The library location must be a folder, but ${where}. Point --library (or SHOEBOX_LIBRARY) at your library folder, or at a new folder to start a library in.`);
}

/** Makes the library's folders (or refuses: no library there and `create` is false, not a folder, not writable). */
/**
 * mkdir -p that reports the real cause: Node's recursive mkdir answers ENOENT where the first
 * folder it has to make cannot be made on a read-only disk (EROFS) or without permission
 * (helper-49: "ENOENT: no such file or directory, mkdir …/lib" for a library on a read-only
 * disk). That folder is made once more on its own, which throws the real error.
 */
function mkdirWithCause(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    if (!isErrno(err, 'ENOENT')) throw err;
    let first = dir;
    while (!fs.existsSync(path.dirname(first)) && path.dirname(first) !== first) first = path.dirname(first);
    fs.mkdirSync(first); // throws EROFS, EACCES… (or ENOENT again when that is the truth)
    fs.mkdirSync(dir, { recursive: true });
  }
}

export function prepareLibraryDir(paths: LibraryPaths, create: boolean): void {
  if (!create && !fs.existsSync(paths.catalog)) {
    throw new ShoeboxError('NOT_FOUND', `There is no Shoebox library at ${paths.root} yet. Back something up first (\`shoebox upload FOLDER\`), or point --library at an existing one.`);
  }
  try {
    for (const dir of [paths.root, paths.objects, paths.tmp, paths.procs, paths.uploads]) mkdirWithCause(dir);
    fs.accessSync(paths.root, fs.constants.W_OK);
  } catch (err) {
    if (isErrno(err, 'ENOTDIR', 'EEXIST')) {
      throw new ShoeboxError('LIBRARY_NOT_WRITABLE', `The library location ${paths.root} is not a folder. Choose another with --library.`, { cause: err });
    }
    throw libraryWriteError(err, paths.root);
  }
}
