import fs from 'node:fs/promises';
import path from 'node:path';
import { ShoeboxError, isErrno } from '../errors.js';
import { folderRelation } from '../library/path-identity.js';
import { hasSubfolders, refuseSystemFolder } from '../upload/source-scan.js';

/**
 * The checks of a folder to watch that need no open library: not a system folder, exists, is a
 * folder, readable, not inside the library folder `libraryDir`; and whether it has subfolders
 * (then a mode is needed). The CLI runs them before it opens (or creates) the library, so a
 * refused `watch add` creates nothing; WatchService.inspect adds the checks against the other
 * watches.
 */
export async function checkFolderToWatch(folder: string, libraryDir: string): Promise<{ path: string; hasSubfolders: boolean }> {
  const p = path.resolve(folder);
  refuseSystemFolder(p);
  let st: import('node:fs').Stats;
  try {
    st = await fs.stat(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new ShoeboxError('PATH_NOT_FOUND', `${p} does not exist. Check the path (is the drive connected?).`, { cause: err });
    throw new ShoeboxError('PATH_UNREADABLE', `${p} cannot be read (${(err as NodeJS.ErrnoException).code}).`, { cause: err });
  }
  if (!st.isDirectory()) throw new ShoeboxError('NOT_A_FOLDER', `${p} is a file, not a folder. Watch the folder it is in, or upload single files.`, { hint: '(`shoebox upload FILE` backs up single files.)' });
  // Real paths and device + inode, not strings: [Note: Same folder, whatever the path].
  if (folderRelation(libraryDir, p)) throw new ShoeboxError('PATH_INSIDE_LIBRARY', `${p} is inside the Shoebox library (${libraryDir}); watching it would back the library up into itself.`);
  const nested = await hasSubfolders(p).catch((err: unknown) => {
    throw new ShoeboxError('PATH_UNREADABLE', `The folder ${p} cannot be read (${(err as NodeJS.ErrnoException).code}). Check its permissions.`, { cause: err });
  });
  return { path: p, hasSubfolders: nested };
}
