import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { ShoeboxError } from '../errors.js';
import { DecryptStream, blobObjectName } from './remote-crypto.js';
import type { S3Store } from './s3-store.js';

/** What checking one content's offsite copy found. */
export type OffsiteCheck = { state: 'verified'; remote: string } | { state: 'not-pushed' | 'missing' | 'damaged' | 'unreachable'; message: string };

/** One remote as the verifier needs it. */
export interface VerifiableRemote {
  url: string;
  prefix: string;
  /** Whether the catalog records this content as pushed there. */
  pushed(hash: string): boolean;
  /** The remote's store and keys (made once, on first use). */
  open(): { store: S3Store; keys: { data: Buffer; names: Buffer } };
}

/**
 * Checks the offsite copies of single contents (Free up space, issue #20): for each hash, every
 * remote the catalog says holds it is asked for just that object, which is decrypted and hashed
 * (the same proof as `remote check --read-data`, for only the objects needed). Verified on one
 * remote is enough; otherwise the most telling failure is reported (damaged, then missing, then
 * unreachable, then not pushed yet).
 */
export function offsiteVerifier(remotes: VerifiableRemote[]): (hash: string) => Promise<OffsiteCheck> {
  const opened = new Map<VerifiableRemote, ReturnType<VerifiableRemote['open']>>();
  // A remote found unreachable (down, or silent until the timeout) is not asked again in this
  // review: a thousand sources would otherwise wait a thousand timeouts.
  const down = new Map<string, { state: 'unreachable'; message: string }>();
  const rank = { damaged: 0, missing: 1, unreachable: 2, 'not-pushed': 3 } as const;
  return async (hash) => {
    let worst: Exclude<OffsiteCheck, { state: 'verified' }> = { state: 'not-pushed', message: remotes.length === 0 ? 'there is no offsite copy (no remote)' : 'not pushed to the remote yet' };
    for (const r of remotes) {
      if (!r.pushed(hash)) continue;
      const found = down.get(r.url) ?? (await checkOn(r, hash, opened));
      if (found === null) return { state: 'verified', remote: r.url };
      if (found.state === 'unreachable') down.set(r.url, { state: 'unreachable', message: found.message });
      if (rank[found.state] < rank[worst.state]) worst = found;
    }
    return worst;
  };
}

/** One remote's copy of one content: null when verified, else what is wrong (unreachable when it could not be asked). */
async function checkOn(r: VerifiableRemote, hash: string, opened: Map<VerifiableRemote, ReturnType<VerifiableRemote['open']>>): Promise<Exclude<OffsiteCheck, { state: 'verified' }> | null> {
  try {
    let o = opened.get(r);
    if (!o) opened.set(r, (o = r.open()));
    return await readAndHash(o.store, blobObjectName(r.prefix, o.keys.names, hash), o.keys.data, hash);
  } catch (err) {
    return { state: 'unreachable', message: err instanceof ShoeboxError ? err.userMessage : (err as Error).message };
  }
}

/** Downloads, decrypts and hashes one object: null when it is the content, else what is wrong. Network failures throw. */
async function readAndHash(store: S3Store, key: string, dataKey: Buffer, hash: string): Promise<Exclude<OffsiteCheck, { state: 'verified' }> | null> {
  const body = await store.get(key);
  if (!body) return { state: 'missing', message: `the remote has no object for it (${key})` };
  const h = createHash('sha256');
  try {
    await pipeline(body, new DecryptStream(dataKey, 'its offsite copy'), async function* (s: AsyncIterable<Buffer>) {
      for await (const c of s) h.update(c);
    });
  } catch (err) {
    if (err instanceof ShoeboxError && err.code === 'LIBRARY_CORRUPT') return { state: 'damaged', message: err.userMessage };
    throw err;
  }
  return h.digest('hex') === hash ? null : { state: 'damaged', message: 'its offsite copy decrypts, but not to the photo\'s bytes' };
}
