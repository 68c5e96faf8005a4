import fs from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';

const NETWORK_FS = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'afpfs', 'ncpfs', '9p', 'fuse.sshfs', 'sshfs', 'davfs', 'fuse.davfs2', 'fuse.rclone', 'fuse.s3fs', 'glusterfs', 'ceph', 'afs']);

/**
 * True if the folder sits on a network file system, where change notifications are unreliable
 * (DESIGN §2: warn and offer polling). Linux: the file system type of the longest mount point
 * containing it, from /proc/mounts. Elsewhere: UNC paths and the usual mount locations.
 * The one test for it: the CLI's `watch add` warning and the window's add-folder step both ask here.
 */
export function looksLikeNetworkDrive(folder: string, mountsFile = '/proc/mounts'): boolean {
  const p = path.resolve(folder);
  if (/^(\\\\|\/\/)/.test(folder)) return true;
  let mounts: string;
  try {
    mounts = fs.readFileSync(mountsFile, 'utf8');
  } catch (err) {
    if (!isErrno(err, 'ENOENT', 'EACCES', 'EPERM')) throw err;
    return /^\/(Volumes|net|mnt)\/[^/]+/.test(p) && process.platform === 'darwin'; // no /proc: only a guess
  }
  let best = { point: '', type: '' };
  for (const line of mounts.split('\n')) {
    const [, point, type] = line.split(' ');
    if (!point || !type) continue;
    const mp = point.replace(/\\040/g, ' ');
    if ((p === mp || p.startsWith(mp.endsWith('/') ? mp : `${mp}/`)) && mp.length > best.point.length) best = { point: mp, type };
  }
  return NETWORK_FS.has(best.type);
}
