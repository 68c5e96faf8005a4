import fs from 'node:fs';
import { Readable, Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorMessage } from '../errors.js';
import { DecryptStream } from './remote-crypto.js';
import { HashingPass } from './hashing-pass.js';

/** A stream through encryption or decryption (and the bandwidth limit), collected into one buffer (small objects). */
export async function collect(src: Readable | Buffer, steps: Transform[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline([Buffer.isBuffer(src) ? Readable.from([src]) : src, ...steps, sinkTo((c) => { chunks.push(c); return Promise.resolve(); })]);
  return Buffer.concat(chunks);
}

/** A writable that hands each chunk to an async function, one at a time (back-pressure included). */
export function sinkTo(fn: (chunk: Buffer) => Promise<void>): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      fn(chunk).then(() => cb(), cb);
    },
  });
}

/**
 * Decrypts a remote object and checks its bytes hash to `hash`, writing them to `dest` if given
 * (a rebuild) or only reading them (a check). Returns the problem for people, or null when the
 * object is good. Authentication failures (changed, truncated, reordered) come from the
 * decryption and name `what` (the photos).
 */
export async function decryptVerified(body: Readable, dataKey: Buffer, hash: string, what: string, dest?: string): Promise<string | null> {
  const hasher = new HashingPass();
  try {
    await pipeline(body, new DecryptStream(dataKey, what), hasher, dest ? fs.createWriteStream(dest) : sinkTo(() => Promise.resolve()));
  } catch (err) {
    return errorMessage(err);
  }
  return hasher.hex() === hash ? null : `${what}: decrypted, but the bytes are not the photo's (hash mismatch)`;
}
