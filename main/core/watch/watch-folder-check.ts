import fs from 'node:fs/promises';
import path from 'node:path';
import { ShoeboxError, isErrno } from '../errors.js';
import { hasSubfolders, refuseSystemFolder } from '../upload/source-scan.js';

/**
 * The checks of a folder to watch that need no library: not a system folder, exists, is a
 * folder, readable; and whether it has subfolders (then a mode is needed). The CLI runs them
 * before it opens (or creates) the library, so a refused `watch add` creates nothing;
 * WatchService.inspect adds the checks against the library and the other watches.
 */
export async function checkFolderToWatch(folder: string): Promise<{ path: string; hasSubfolders: boolean }> {
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
  const nested = await hasSubfolders(p).catch((err: unknown) => {
    throw new ShoeboxError('PATH_UNREADABLE', `The folder ${p} cannot be read (${(err as NodeJS.ErrnoException).code}). Check its permissions.`, { cause: err });
  });
  return { path: p, hasSubfolders: nested };
}
