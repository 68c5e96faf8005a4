import fs from 'node:fs';
import { isErrno } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * [Note: The disk reserve]
 * A library keeps a file of RESERVE_BYTES zeros (`reserve`) that holds nothing of the user's.
 * When the disk under the library fills up (an upload, another program), SQLite cannot even open
 * the catalog: a reader needs room for its 32 KiB shared-memory file, a writer for its journal.
 * Every command then failed with "the disk is full", `ls`, `export` to another disk and `trash
 * empty` included: the very commands that get photos out or free space (helper-49). So when a
 * command finds less than RELEASE_BELOW free, it deletes the reserve first, and what it frees lets
 * the catalog open and Trash be emptied. The reserve is made again by a later command once the
 * disk has room for it and then some (CREATE_ABOVE). Written through the page cache: allocated at
 * once (ext4's delayed allocation still reserves the blocks), and if a crash loses it, it is made
 * again. Never made on a disk under SMALLEST_DISK (a test's tmpfs, a small card), where it would
 * take a large share.
 */
export const RESERVE_BYTES = 4 * 1024 * 1024;
/** Free space under which a command deletes the reserve before opening the catalog. */
const RELEASE_BELOW = 1024 * 1024;
/** Free space the disk must have before the reserve is made (again). */
const CREATE_ABOVE = 4 * RESERVE_BYTES;
/** A disk smaller than this gets no reserve (on a 17 MiB disk it took a quarter; helper-50). */
const SMALLEST_DISK = 256 * 1024 * 1024;

/** Free bytes for this user on the file system holding `dir`, and its size; null when it cannot be asked. */
export function diskSpace(dir: string): { free: number; size: number } | null {
  try {
    const s = fs.statfsSync(dir);
    return { free: s.bavail * s.bsize, size: s.blocks * s.bsize };
  } catch {
    return null;
  }
}

/**
 * Before the catalog is opened: on a (nearly) full disk, deletes the reserve so that the command
 * can run; with room to spare, makes it if it is missing. Failures only cost the reserve, never
 * the command. Returns what it did, for the caller to log.
 */
export function tendReserve(file: string, dir: string, log: Logger): 'released' | 'made' | 'kept' {
  const disk = diskSpace(dir);
  if (disk === null) return 'kept';
  const { free } = disk;
  try {
    if (free < RELEASE_BELOW) {
      if (!fs.existsSync(file)) return 'kept';
      fs.rmSync(file, { force: true });
      log.warn('the library disk is full: released its reserve so that the catalog can open (free space to back up more)', { freeBytes: free, reserveBytes: RESERVE_BYTES });
      return 'released';
    }
    if (free >= CREATE_ABOVE && disk.size >= SMALLEST_DISK && !fs.existsSync(file)) {
      writeZeros(`${file}.tmp`, RESERVE_BYTES);
      fs.renameSync(`${file}.tmp`, file);
      return 'made';
    }
  } catch (err) {
    // no room after all, a read-only disk, a folder we may not write: no reserve, the command goes on
    try {
      fs.rmSync(`${file}.tmp`, { force: true });
    } catch {
      // as above
    }
    if (!isErrno(err, 'ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS')) log.warn('could not tend the library disk reserve', { error: (err as Error).message });
  }
  return 'kept';
}

function writeZeros(file: string, bytes: number): void {
  const chunk = Buffer.alloc(1024 * 1024);
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    for (let done = 0; done < bytes; done += chunk.length) fs.writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - done));
  } finally {
    fs.closeSync(fd);
  }
}
