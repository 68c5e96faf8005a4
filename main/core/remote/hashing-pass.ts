import { createHash } from 'node:crypto';
import { PassThrough, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged, hashing them (SHA-256) on the way. */
export class HashingPass extends PassThrough {
  private readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }
  /** The digest of everything that passed (call once, after the end). */
  hex(): string {
    return this.hash.digest('hex');
  }
}
