import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isErrno } from '../errors.js';

/** A mounted drive that looks like a camera card or a phone: it has a DCIM folder at its top. */
export interface CameraCard {
  path: string;
  /** Its volume name (the mount folder's name, or the drive letter). */
  name: string;
}

// [Note: Camera cards]
// The window offers to back up and free a camera card when one is plugged in (issue #20). What
// "plugged in" means is decided here, simply and without native code: desktop systems mount
// removable drives in known places — udisks2 under /run/media/$USER or /media/$USER (Debian,
// Ubuntu, Fedora…), older setups under /media, macOS under /Volumes, Windows as drive letters —
// and every camera and phone stores its photos under DCIM/ (the DCF standard). So a card is a
// folder in one of those places that is a mount point (another device than its parent; on
// Windows a drive letter) with DCIM/ at its top. They are looked for every few seconds; a
// look is a readdir and a few stats. Drives mounted elsewhere (fstab entries, network shares)
// are not offered: Free up space still takes any folder typed or chosen. A system that mounts
// them somewhere else names those places in SHOEBOX_MOUNT_ROOTS (a PATH-like list).

/** Where this system mounts removable drives (drive letters D: to Z: on Windows). */
export function mountRoots(platform: NodeJS.Platform = process.platform, user = os.userInfo().username, env: NodeJS.ProcessEnv = process.env): string[] {
  const given = env.SHOEBOX_MOUNT_ROOTS?.split(platform === 'win32' ? ';' : ':').filter((p) => p.length > 0);
  if (given && given.length > 0) return given;
  if (platform === 'darwin') return ['/Volumes'];
  if (platform === 'win32') return [];
  return [`/run/media/${user}`, `/media/${user}`, '/media'];
}

/** The camera cards mounted under these roots now (on Windows, in drive letters D: to Z:). */
export async function findCameraCards(roots: string[], platform: NodeJS.Platform = process.platform): Promise<CameraCard[]> {
  const cards: CameraCard[] = [];
  if (platform === 'win32') {
    for (let c = 'D'.charCodeAt(0); c <= 'Z'.charCodeAt(0); c++) {
      const root = `${String.fromCharCode(c)}:\\`;
      if (await isDir(path.win32.join(root, 'DCIM'))) cards.push({ path: root, name: `${String.fromCharCode(c)}:` });
    }
    return cards;
  }
  for (const root of roots) {
    let entries: import('node:fs').Dirent[];
    let rootDev: number;
    try {
      rootDev = (await fs.stat(root)).dev;
      entries = await fs.readdir(root, { withFileTypes: true });
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM')) continue;
      throw err;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue; // symlinks (macOS's boot volume) are not drives
      const p = path.join(root, e.name);
      try {
        if ((await fs.stat(p)).dev === rootDev) continue; // a plain folder, not a mount
      } catch (err) {
        if (isErrno(err, 'ENOENT', 'EACCES', 'EPERM', 'EIO')) continue; // unplugged meanwhile, or not ours
        throw err;
      }
      if (await isDir(path.join(p, 'DCIM'))) cards.push({ path: p, name: e.name });
    }
  }
  return cards;
}

/**
 * Looks for camera cards every `intervalMs` and calls `onAdded` for each that appears (cards
 * there at the first look count as already known). Returns the stop function.
 */
export function watchCameraCards(onAdded: (card: CameraCard) => void, opts: { roots?: string[]; intervalMs?: number; onError?: (err: unknown) => void } = {}): () => void {
  const roots = opts.roots ?? mountRoots();
  let known: Set<string> | undefined;
  let busy = false;
  const look = async () => {
    const cards = await findCameraCards(roots);
    const first = known === undefined;
    const now = new Set(cards.map((c) => c.path));
    for (const c of cards) if (!first && !known!.has(c.path)) onAdded(c);
    known = now;
  };
  const tick = () => {
    if (busy) return;
    busy = true;
    look().catch((err: unknown) => opts.onError?.(err)).finally(() => (busy = false));
  };
  tick();
  const timer = setInterval(tick, opts.intervalMs ?? 3000);
  return () => clearInterval(timer);
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'EIO')) return false;
    throw err;
  }
}
