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
export async function readMasterKey(libraryRoot: string, remote: { id: number; url: string }): Promise<Buffer> {
  try {
    return decodeKey(await fs.promises.readFile(keyFilePath(libraryRoot, remote.id), 'utf8'));
  } catch (err) {
    throw noKeyError(err, remote);
  }
}

/**
 * readMasterKey, synchronously: for the purge's follow-up (RemoteService.forgetBlobs), which
 * must queue the remote deletes before anything else runs (a push started meanwhile would
 * otherwise find nothing to delete), and for Free up space's offsite verifier, which opens a
 * remote synchronously. The file is a few bytes.
 */
export function readMasterKeySync(libraryRoot: string, remote: { id: number; url: string }): Buffer {
  try {
    return decodeKey(fs.readFileSync(keyFilePath(libraryRoot, remote.id), 'utf8'));
  } catch (err) {
    throw noKeyError(err, remote);
  }
}

function decodeKey(text: string): Buffer {
  return Buffer.from(text.trim(), 'base64');
}

function noKeyError(err: unknown, remote: { url: string }): unknown {
  if (!isErrno(err, 'ENOENT')) return err;
  return new ShoeboxError('NOT_FOUND', `This library has no key for ${remote.url}. Remove it and add it again with its passphrase.`, { cause: err, hint: '(`shoebox remote rm`, then `shoebox remote add`)' });
}

/** Keeps a remote's master key in the library (owner-only folder and file, written atomically). */
export function writeMasterKey(libraryRoot: string, remoteId: number, master: Buffer): void {
  const file = keyFilePath(libraryRoot, remoteId);
  makeDirBelow(path.dirname(file), 1, 0o700); // the library folder itself is never re-created
  writeFileAtomic(file, master.toString('base64'), 0o600, false);
}

/** Forgets a remote's master key (missing is fine). */
export async function removeMasterKey(libraryRoot: string, remoteId: number): Promise<void> {
  await fs.promises.rm(keyFilePath(libraryRoot, remoteId), { force: true });
}
