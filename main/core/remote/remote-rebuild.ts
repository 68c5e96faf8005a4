import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fsyncFile } from '../atomic-write.js';
import { blobPath } from '../blobs/blob-store.js';
import { blobsIn, fileNamesOf, remoteIdIn } from '../catalog/remote-catalog.js';
import { openDatabase } from '../catalog/sqlite-binding.js';
import { ShoeboxError } from '../errors.js';
import { DecryptStream, blobObjectName, deriveKeys, unlockKeys, type KeyFile } from './remote-crypto.js';
import { writeMasterKey } from './remote-keys.js';
import { KEYS_OBJECT, LATEST_OBJECT } from './remote-push.js';
import { collect, decryptVerified } from './remote-streams.js';
import { S3Store, parseRemoteUrl } from './s3-store.js';

/** The secret that unlocks a remote. */
export type RemoteSecret = { passphrase: string } | { recoveryKey: string };

/** What rebuilding a library from a remote did. */
export interface RebuildSummary {
  library: string;
  blobs: number;
  bytes: number;
  failed: Array<{ hash: string; photos: string[]; message: string }>;
}

/**
 * Rebuilds a whole library from a remote alone (issue #10), on a new machine: unlocks the keys
 * with the passphrase or the recovery key (wrong → an error, nothing written), restores the
 * latest catalog snapshot, then every blob, each decrypted, verified against its hash and put
 * in place. Photos whose remote copy fails authentication are named.
 */
export async function rebuildFromRemote(url: string, opts: { endpoint?: string; region?: string; secret: RemoteSecret; to: string; onProgress?: (done: number, total: number) => void }): Promise<RebuildSummary> {
  const loc = parseRemoteUrl(url, opts.endpoint, opts.region);
  const store = new S3Store(loc);
  const keyJson = await store.getBuffer(`${loc.prefix}${KEYS_OBJECT}`);
  if (!keyJson) throw new ShoeboxError('NOT_FOUND', `There is no Shoebox remote at ${loc.url}${loc.endpoint ? ` (${loc.endpoint})` : ''}.`);
  const master = unlockKeys(JSON.parse(keyJson.toString()) as KeyFile, opts.secret);
  const keys = deriveKeys(master);
  const pointerEnc = await store.getBuffer(`${loc.prefix}${LATEST_OBJECT}`);
  if (!pointerEnc) throw new ShoeboxError('NOT_FOUND', `${loc.url} has keys but no catalog snapshot yet: push from the original library first (\`shoebox remote push\`).`);
  const pointer = JSON.parse((await collect(pointerEnc, [new DecryptStream(keys.data, 'the catalog pointer')])).toString()) as { object: string };
  const to = path.resolve(opts.to);
  if (fs.existsSync(to) && fs.readdirSync(to).length > 0) throw new ShoeboxError('CONFLICT', `${to} is not empty: rebuild into a new, empty folder.`);
  const tmp = path.join(to, 'tmp', 'rebuild');
  fs.mkdirSync(tmp, { recursive: true });
  const snap = await store.get(pointer.object);
  if (!snap) throw new ShoeboxError('NOT_FOUND', `The catalog snapshot ${pointer.object} is missing from the remote.`);
  await pipeline(snap, new DecryptStream(keys.data, 'the catalog snapshot'), fs.createWriteStream(path.join(tmp, 'catalog.sqlite')));
  fs.renameSync(path.join(tmp, 'catalog.sqlite'), path.join(to, 'catalog.sqlite'));
  const db = openDatabase(path.join(to, 'catalog.sqlite'), { readonly: true });
  const summary: RebuildSummary = { library: to, blobs: 0, bytes: 0, failed: [] };
  let remoteId: number | undefined;
  try {
    const blobs = blobsIn(db);
    remoteId = remoteIdIn(db, loc.url);
    let done = 0;
    for (const b of blobs) {
      const names = fileNamesOf(db, b.hash);
      const what = names.join(', ') || b.hash.slice(0, 12);
      const body = await store.get(blobObjectName(loc.prefix, keys.names, b.hash));
      if (!body) {
        summary.failed.push({ hash: b.hash, photos: names, message: `${what}: missing from the remote` });
        continue;
      }
      const part = path.join(tmp, `${b.hash}.part`);
      const problem = await decryptVerified(body, keys.data, b.hash, what, part);
      if (problem) {
        fs.rmSync(part, { force: true });
        summary.failed.push({ hash: b.hash, photos: names, message: problem });
        continue;
      }
      const final = blobPath(path.join(to, 'objects'), b.hash);
      fs.mkdirSync(path.dirname(final), { recursive: true });
      fsyncFile(part);
      fs.renameSync(part, final);
      summary.blobs++;
      summary.bytes += b.size;
      opts.onProgress?.(++done, blobs.length);
    }
  } finally {
    db.close();
  }
  fs.rmSync(path.join(to, 'tmp'), { recursive: true, force: true });
  if (remoteId !== undefined) writeMasterKey(to, remoteId, master); // pushes from the rebuilt library need no passphrase
  return summary;
}
