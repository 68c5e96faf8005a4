import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { ShoeboxError, isErrno } from '../errors.js';
import { makeDirBelow } from '../library/library-home.js';

/**
 * A remote's master key kept in the library (`remotes/<id>.key`, owner-only), so pushes need no
 * passphrase. Never in the catalog (a catalog snapshot goes offsite). Written atomically: a
 * crash leaves the old key or the new one, never half of one.
 */
export function keyFilePath(libraryRoot: string, remoteId: number): string {
  return path.join(libraryRoot, 'remotes', `${remoteId}.key`);
}

/** Reads a remote's master key; a missing key file is NOT_FOUND with what to do. */
export function readMasterKey(libraryRoot: string, remote: { id: number; url: string }): Buffer {
  try {
    return Buffer.from(fs.readFileSync(keyFilePath(libraryRoot, remote.id), 'utf8').trim(), 'base64');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw new ShoeboxError('NOT_FOUND', `This library has no key for ${remote.url}. Remove it and add it again with its passphrase.`, { cause: err, hint: '(`shoebox remote rm`, then `shoebox remote add`)' });
    throw err;
  }
}

/** Keeps a remote's master key in the library (owner-only folder and file, written atomically). */
export function writeMasterKey(libraryRoot: string, remoteId: number, master: Buffer): void {
  const file = keyFilePath(libraryRoot, remoteId);
  makeDirBelow(path.dirname(file), 1, 0o700); // the library folder itself is never re-created
  writeFileAtomic(file, master.toString('base64'), 0o600, false);
}

/** Forgets a remote's master key (missing is fine). */
export function removeMasterKey(libraryRoot: string, remoteId: number): void {
  fs.rmSync(keyFilePath(libraryRoot, remoteId), { force: true });
}
