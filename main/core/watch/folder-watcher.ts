import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import type { FSWatcher as Watcher } from 'chokidar';
import { ShoeboxError, isErrno } from '../errors.js';
import { FolderMatcher } from '../library/path-identity.js';
import { isIgnoredName } from '../media/media-type.js';

/** What a folder watcher reports. Paths are absolute. */
export interface FolderEvents {
  upsert(filePath: string): void;
  delete(filePath: string): void;
  deleteDir(dirPath: string): void;
  /** A folder appeared (created, copied or moved in): its files must be looked at. */
  newDir(dirPath: string): void;
  /** A fatal watcher problem (e.g. the OS watch limit): the watch is no longer complete. */
  failed(err: ShoeboxError): void;
}

/** Options of one folder's watcher. */
export interface FolderWatchOptions {
  /** Poll instead of OS notifications (network drives). */
  poll: boolean;
  pollIntervalMs?: number;
  /** Never report anything under this folder (the library, when it lies inside the watch). */
  skipDir?: string;
  /** How often folders that could not be read are tried again (default 5 s). */
  unreadableRetryMs?: number;
}

/**
 * One chokidar watcher for one watched folder. [Note: Watcher set-up]
 * Measured on 100k files in 4k folders (Node 20, chokidar 6): `watch(root)` peaked at 311 MB
 * of heap during its own tree walk and left the process at 550 MB RSS. So chokidar is given
 * `depth: 0` and the folders are added a few at a time from our own walk: each folder is
 * watched for its direct entries only, and the heap never holds the whole tree (140 MB RSS in
 * the same test). New subfolders arrive as `addDir` and are added the same way.
 * `ignoreInitial`: the engine does its own scan (watch-reconciler.ts) against the catalog.
 * `alwaysStat: false`: the change queue stats a path once it settles. Hidden names are ignored
 * at the matcher. Permission errors are left to the reconciler's scan to report.
 *
 * [Note: A folder readable again]
 * A folder that cannot be read cannot be watched either (inotify needs read permission), and
 * making it readable (chmod) tells no watcher. Such folders are kept aside and tried again every
 * few seconds; once one can be read it is handled as a new folder: watched, with every folder
 * inside it, and its files scanned.
 */
export async function watchFolder(root: string, opts: FolderWatchOptions, events: FolderEvents): Promise<{ close(): Promise<void> }> {
  const skip = opts.skipDir === undefined ? undefined : new FolderMatcher(opts.skipDir, root);
  const skipped = (p: string) => skip?.coversPath(p) ?? false;
  const { FSWatcher } = await import('chokidar'); // loaded when a folder is watched, not by every command
  const watcher: Watcher = new FSWatcher({
    ignoreInitial: true,
    followSymlinks: false,
    alwaysStat: false,
    ignorePermissionErrors: true,
    persistent: true,
    depth: 0,
    backend: opts.poll ? 'polling' : 'native',
    pollingInterval: opts.pollIntervalMs ?? 2000,
    pollingBinaryInterval: opts.pollIntervalMs ?? 2000,
    ignored: (p: string) => p !== root && (isIgnoredName(path.basename(p)) || skipped(p)),
  });
  const watched = new Set<string>([root]);
  const unreadable = new Set<string>();
  let closed = false;
  const addDirs = async (dirs: string[]) => {
    for (let i = 0; i < dirs.length; i += ADD_CHUNK) {
      // never after close (a new-folder rescan can still be running): chokidar throws then, and
      // the watch would be reported as failed while it is simply stopping
      if (closed) return;
      watcher.add(dirs.slice(i, i + ADD_CHUNK));
      await yieldToLoop(); // let chokidar set these up before handing it more
    }
  };
  watcher.on('add', (p) => events.upsert(p));
  watcher.on('change', (p) => events.upsert(p));
  watcher.on('unlink', (p) => events.delete(p));
  watcher.on('unlinkDir', (p) => {
    watched.delete(p);
    events.deleteDir(p);
  });
  // A new folder (created, or a tree copied or moved in): watch it and every folder already inside
  // it, and scan its files. Files and folders can appear in it before its watchers are attached
  // (a burst of copies), so the folder is listed and scanned again after the watchers were set
  // up, and once more a little later: what the scans miss, the watchers see. Rescans are cheap
  // for files already backed up (the change queue finds them unchanged).
  const settleNewDir = async (p: string) => {
    for (const delayMs of RESCAN_AFTER_MS) {
      if (delayMs > 0) await sleep(delayMs);
      if (closed) return;
      const dirs = (await listFolders(p, skipped, skip, unreadable)).filter((d) => d === p ? delayMs === 0 : !watched.has(d));
      if (closed) return;
      dirs.forEach((d) => watched.add(d));
      await addDirs(dirs);
      if (closed) return;
      events.newDir(p);
    }
  };
  watcher.on('addDir', (p) => {
    if (watched.has(p)) return;
    watched.add(p);
    settleNewDir(p).catch(onError);
  });
  let failed = false;
  const onError = (err: unknown) => {
    if (isErrno(err, 'ENOENT')) return; // a folder removed while being added: its unlinkDir follows
    if (failed) return;
    failed = true;
    events.failed(watchError(root, err));
  };
  watcher.on('error', onError);
  await new Promise<void>((resolve) => {
    watcher.once('ready', () => resolve());
    watcher.add(root);
  });
  const subdirs = (await listFolders(root, skipped, skip, unreadable)).filter((d) => d !== root);
  subdirs.forEach((d) => watched.add(d));
  await addDirs(subdirs);
  let retrying = false;
  const retry = setInterval(() => {
    if (retrying || unreadable.size === 0) return;
    retrying = true;
    retryUnreadable().catch(onError).finally(() => { retrying = false; });
  }, opts.unreadableRetryMs ?? 5000);
  retry.unref();
  const retryUnreadable = async () => {
    for (const d of [...unreadable]) {
      if (closed) return;
      try {
        await fs.access(d, fs.constants.R_OK | fs.constants.X_OK);
      } catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR')) unreadable.delete(d); // gone: its unlinkDir said so
        continue;
      }
      unreadable.delete(d);
      watcher.unwatch(d); // chokidar could not watch it before: set it up afresh
      await settleNewDir(d);
    }
  };
  return {
    close: () => {
      closed = true;
      clearInterval(retry);
      return watcher.close();
    },
  };
}

/** Folders added to chokidar per turn of the event loop. */
const ADD_CHUNK = 16;

/** When a new folder is listed and scanned: at once, then twice more while its watchers attach. */
const RESCAN_AFTER_MS = [0, 250, 2000];

/**
 * Every non-hidden folder under (and including) dir, without following symlinks. Unreadable
 * folders are listed but not entered, and noted in `unreadable`; the library is skipped (by
 * path, and by identity for a bind mount).
 */
async function listFolders(dir: string, skipped: (p: string) => boolean, skip: FolderMatcher | undefined, unreadable: Set<string>): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (skip && (await skip.isFolder(d))) continue;
    out.push(d);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (err) {
      if (isErrno(err, 'EACCES', 'EPERM')) unreadable.add(d); // reported by the reconciler's scan; tried again ([Note: A folder readable again])
      if (isErrno(err, 'EACCES', 'EPERM', 'ENOENT', 'ENOTDIR')) continue;
      throw err;
    }
    for (const e of entries) if (e.isDirectory() && !isIgnoredName(e.name) && !skipped(path.join(d, e.name))) stack.push(path.join(d, e.name));
  }
  return out;
}

/** Turns a watcher error into a message that says which limit was hit and how to raise it. */
export function watchError(root: string, err: unknown): ShoeboxError {
  if (isErrno(err, 'ENOSPC')) {
    return new ShoeboxError(
      'IO_ERROR',
      `Cannot watch ${root}: Linux's limit on watched folders (fs.inotify.max_user_watches) is reached, so changes in some folders would be missed. ` +
        'Raise it with `echo fs.inotify.max_user_watches=524288 | sudo tee -a /etc/sysctl.conf && sudo sysctl -p`, or re-add this folder with --poll.',
      { cause: err },
    );
  }
  if (isErrno(err, 'EMFILE')) {
    return new ShoeboxError(
      'IO_ERROR',
      `Cannot watch ${root}: too many open files (the per-process limit, or fs.inotify.max_user_instances). ` +
        'Raise it (`ulimit -n 65536`, or `sudo sysctl fs.inotify.max_user_instances=1024`), or re-add this folder with --poll.',
      { cause: err },
    );
  }
  return new ShoeboxError('IO_ERROR', `Watching ${root} failed (${(err as Error)?.message ?? String(err)}); it will be retried.`, { cause: err });
}
