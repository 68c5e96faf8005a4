import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { RemoteCatalog, RemoteRow } from '../catalog/remote-catalog.js';
import { ShoeboxError } from '../errors.js';
import { injectFault } from '../faults.js';
import { CHUNK, EncryptStream, encryptedSize } from './remote-crypto.js';
import { collect, sinkTo } from './remote-streams.js';
import { HashingPass } from './hashing-pass.js';
import type { S3Store } from './s3-store.js';
import { Throttle } from './throttle.js';

/** Objects larger than this go up in parts of this size (resumable). */
export const PART_SIZE = 8 * 1024 * 1024;

/** One local file to encrypt and store on a remote. */
export interface UploadJob {
  remote: RemoteRow;
  store: S3Store;
  catalog: RemoteCatalog;
  dataKey: Buffer;
  file: string;
  /** The object's name on the remote. */
  key: string;
  /** What the catalog records a multipart upload under: the blob hash, or `catalog:<object>`. */
  uploadKey: string;
  limitBytesPerSecond?: number;
  /** A blob's hash: its bytes are verified while they are encrypted (damaged bytes never replace the offsite copy). */
  expectHash?: string;
}

/**
 * Encrypts a local file to its object: one request when small, resumable 8 MiB parts when large
 * (each part recorded as it is stored; a resumed upload re-encrypts with the saved header, so the
 * same bytes give the same parts and stored ones are skipped). A server that forgot the upload is
 * started again once.
 */
export async function uploadEncrypted(u: UploadJob): Promise<void> {
  const size = (await fs.promises.stat(u.file)).size;
  let hasher = new HashingPass();
  const through = (enc: EncryptStream) => [hasher, ...(u.limitBytesPerSecond ? [enc, new Throttle(u.limitBytesPerSecond)] : [enc])];
  const verify = () => {
    if (u.expectHash !== undefined && hasher.hex() !== u.expectHash) {
      throw new ShoeboxError('LIBRARY_CORRUPT', `its stored bytes are damaged (they do not hash to ${u.expectHash.slice(0, 12)}); not pushed. \`shoebox check --read-data\` tells more.`);
    }
  };
  if (encryptedSize(size) <= PART_SIZE) {
    const sealed = await collect(fs.createReadStream(u.file), through(new EncryptStream(u.dataKey)));
    verify();
    await u.store.put(u.key, sealed);
    return;
  }
  const id = u.remote.id;
  for (let attempt = 0; attempt < 2; attempt++) {
    const saved = u.catalog.savedUpload(id, u.uploadKey);
    const parts = saved?.parts ?? new Map<number, string>();
    const enc = new EncryptStream(u.dataKey, saved?.header); // resume: the same ciphertext again, stored parts skipped
    const uploadId = saved?.uploadId ?? (await u.store.startMultipart(u.key));
    if (!saved) u.catalog.startUpload(id, u.uploadKey, uploadId, enc.header);
    hasher = new HashingPass();
    let part = 1;
    let buf: Buffer[] = [];
    let bufLen = 0;
    const flush = async (all: Buffer) => {
      if (!parts.has(part)) {
        parts.set(part, await u.store.putPart(u.key, uploadId, part, all));
        u.catalog.saveParts(id, u.uploadKey, parts);
        injectFault('remote-part');
      }
      part++;
    };
    await pipeline([
      fs.createReadStream(u.file, { highWaterMark: CHUNK }),
      ...through(enc),
      sinkTo(async (c) => {
        buf.push(c);
        bufLen += c.length;
        while (bufLen >= PART_SIZE) {
          const all = Buffer.concat(buf);
          await flush(all.subarray(0, PART_SIZE));
          buf = [all.subarray(PART_SIZE)];
          bufLen = buf[0]!.length;
        }
      }),
    ]);
    try {
      verify();
    } catch (err) {
      await u.store.abortMultipart(u.key, uploadId);
      u.catalog.dropUpload(id, u.uploadKey);
      throw err;
    }
    if (bufLen > 0) await flush(Buffer.concat(buf));
    const completed = await u.store.completeMultipart(u.key, uploadId, parts);
    u.catalog.dropUpload(id, u.uploadKey);
    if (completed) return;
    // The server forgot the upload (expired or aborted): start it again, once.
  }
  throw new ShoeboxError('IO_ERROR', `The remote kept refusing to finish the upload of ${u.key}; it will be retried on the next push.`);
}
