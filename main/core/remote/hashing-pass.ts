import { createHash } from 'node:crypto';
import { PassThrough, type TransformCallback } from 'node:stream';

/**
 * Passes bytes through unchanged, hashing them (SHA-256) on the way. Given `expect`, the stream
 * ends in the error `mismatch()` makes when what passed does not hash to it.
 */
export class HashingPass extends PassThrough {
  private readonly hash = createHash('sha256');
  private digest: string | undefined;

  constructor(private readonly expect?: { hash: string; mismatch: () => Error }) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    cb(this.expect && this.hex() !== this.expect.hash ? this.expect.mismatch() : null);
  }

  /** The digest of everything that passed (after the end). */
  hex(): string {
    return (this.digest ??= this.hash.digest('hex'));
  }
}
