import fs from 'node:fs';
import { isErrno } from './errors.js';

/**
 * The names in a folder; a folder that does not exist (yet, or any more) lists as empty. Any
 * other failure (permissions, a file where the folder should be) is thrown: an unreadable
 * folder must never pass for an empty one.
 */
export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
}
