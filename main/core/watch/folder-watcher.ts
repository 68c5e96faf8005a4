import path from 'node:path';
import { FSWatcher } from 'chokidar';
import { ShoeboxError, isErrno } from '../errors.js';
import { isIgnoredName } from '../media/media-type.js';

/** What a folder watcher reports. Paths are absolute. */
export interface FolderEvents {
  upsert(filePath: string): void;
  delete(filePath: string): void;
  deleteDir(dirPath: string): void;
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
}

/**
 * One chokidar watcher for one watched folder. [Note: Watcher set-up]
 * `ignoreInitial`: the engine does its own scan (watch-reconciler.ts) against the catalog, so
 * chokidar only reports what changes after it is ready. `alwaysStat: false`: the change queue
 * stats a path once it settles, so no stat per event. Hidden names are ignored at the matcher,
 * so chokidar never even lists hidden folders. Permission errors are left to the reconciler's
 * scan to report (chokidar would emit one per unreadable folder on every rescan).
 */
export async function watchFolder(root: string, opts: FolderWatchOptions, events: FolderEvents): Promise<{ close(): Promise<void> }> {
  const watcher = new FSWatcher({
    ignoreInitial: true,
    followSymlinks: false,
    alwaysStat: false,
    ignorePermissionErrors: true,
    persistent: true,
    backend: opts.poll ? 'polling' : 'native',
    pollingInterval: opts.pollIntervalMs ?? 2000,
    pollingBinaryInterval: opts.pollIntervalMs ?? 2000,
    ignored: (p: string) => p !== root && (isIgnoredName(path.basename(p)) || (opts.skipDir !== undefined && (p === opts.skipDir || p.startsWith(`${opts.skipDir}${path.sep}`)))),
  });
  watcher.on('add', (p) => events.upsert(p));
  watcher.on('change', (p) => events.upsert(p));
  watcher.on('unlink', (p) => events.delete(p));
  watcher.on('unlinkDir', (p) => events.deleteDir(p));
  let failed = false;
  const onError = (err: unknown) => {
    if (failed) return;
    failed = true;
    events.failed(watchError(root, err));
  };
  watcher.on('error', onError);
  await new Promise<void>((resolve) => {
    watcher.once('ready', () => resolve());
    watcher.add(root);
  });
  return { close: () => watcher.close() };
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
