import path from 'node:path';
import { ShoeboxError } from './errors.js';
import { realPath } from './library/path-identity.js';

/** Kernel pseudo file systems on Linux: their "files" are live system state, never photos. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev']; // not /run: removable drives mount under /run/media

/** The kernel pseudo file system `p` is (or is in): '/proc', '/sys' or '/dev'; null elsewhere (and on Windows). */
export function kernelFolderOf(p: string): string | null {
  if (process.platform === 'win32') return null;
  return SYSTEM_FOLDERS.find((s) => p === s || p.startsWith(`${s}/`)) ?? null;
}

/**
 * [Note: Nothing is written under /proc]
 * A folder Shoebox writes into (the library, an export or restore destination) is refused inside
 * /proc, /sys or /dev, also when a symlink leads there, before any work. /proc answers mkdir of
 * a name that cannot exist with ENOENT (not EPERM), and Node's recursive mkdir (MKDirpSync in
 * node_file.cc, Node 20) reads ENOENT as "the parent is missing": it makes the parent (EEXIST,
 * fine) and tries the child again, forever. strace of `shoebox export A /proc/x` showed
 * mkdir("/proc/x") = ENOENT and mkdir("/proc") = EEXIST alternating tens of thousands of times a second in
 * the worker thread copying the first photo, while the command waited for it with no output.
 * /sys answers EPERM (every photo failed one by one); /dev is refused with them for the same reason
 * upload refuses it: none of them is a disk.
 */
export function refuseKernelFolderTarget(p: string, use: string): void {
  const kernel = kernelFolderOf(p) ?? kernelFolderOf(realPath(p));
  if (!kernel) return;
  throw new ShoeboxError('INVALID_ARGUMENT', `${p} is in ${kernel}, a folder of the operating system (live system state, not a disk): Shoebox cannot ${use}. Choose a folder of your own (like one in your home folder).`);
}

/** The root and the top-level folders of the operating system's own files (Linux, macOS). */
const OS_FOLDERS = new Set(['/', '/bin', '/boot', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/sbin', '/usr', '/var', '/System', '/Library']);
/**
 * Of those, the ones whose whole tree belongs to the system (its packages, its configuration):
 * nothing of a person's goes anywhere in them (helper-50 exported into /usr/share and, through a
 * symlink, /etc/newdir). /var, /opt, /srv, /run and /mnt hold people's data too (/var/backups,
 * drives under /run/media): only their top is refused.
 */
const OS_TREES = ['/bin', '/boot', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/sbin', '/usr', '/System'];

/**
 * An export or restore into `/` wrote its album folders at the top of the system (helper-49: an
 * album named `etc` would go into /etc). The root and the system's own top-level folders are
 * refused as destinations (also through a symlink); a folder inside them is not (`/var/backups`).
 */
export function refuseSystemTarget(p: string, use: string): void {
  refuseKernelFolderTarget(p, use);
  const names = process.platform === 'win32' ? [p] : [p, realPath(p)];
  const exact = process.platform === 'win32' ? (path.parse(p).root === p ? p : undefined) : names.find((x) => OS_FOLDERS.has(x));
  const tree = exact === undefined && process.platform !== 'win32' ? names.map((x) => OS_TREES.find((t) => x.startsWith(`${t}/`))).find((t) => t !== undefined) : undefined;
  const what = exact !== undefined ? (exact === path.parse(exact).root ? 'the top of the file system' : `${exact}, a folder of the operating system's own files`) : tree !== undefined ? `in ${tree}, the operating system's own files` : null;
  if (what === null) return;
  throw new ShoeboxError('INVALID_ARGUMENT', `${p} is ${what}: Shoebox does not ${use}. Choose a folder of your own (a new folder in your home folder, or on another disk).`);
}

