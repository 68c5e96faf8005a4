import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ShoeboxError } from '../errors.js';
import type { RemoteCredentials } from './credentials.js';

// The SDK warns on every run under Node 20 that its 2027 releases will need Node 22. That note
// is for us (package.json pins what we use), not for a person running `shoebox`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Where a remote lives. Credentials come from the standard AWS chain (env, shared config/profile), never from here. */
export interface RemoteLocation {
  url: string;
  bucket: string;
  prefix: string;
  endpoint: string | null;
  region: string | null;
}

/** Parses `s3://bucket/prefix` (the prefix gets a trailing slash). */
export function parseRemoteUrl(url: string, endpoint?: string | null, region?: string | null): RemoteLocation {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
  if (!m) throw new ShoeboxError('USAGE', `"${url}" is not an S3 location: write it as s3://BUCKET/PREFIX.`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  return { url: `s3://${m[1]}/${prefix ? `${prefix}/` : ''}`, bucket: m[1]!, prefix: prefix ? `${prefix}/` : '', endpoint: endpoint ?? null, region: region ?? null };
}

/**
 * How long a remote may keep silent, in ms: to connect, and between any two bytes of a request
 * or its answer (an idle timeout, not a limit on a long transfer). A server that accepts the
 * connection and never answers must not hang a push, a check or a free-up forever.
 * `SHOEBOX_REMOTE_TIMEOUT_MS` changes it (tests use a short one); a value that is not a number
 * over 0 is refused rather than ignored. Default: 30 s.
 */
export function remoteTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SHOEBOX_REMOTE_TIMEOUT_MS;
  if (text === undefined || text === '') return 30_000;
  const given = Number(text);
  if (!Number.isFinite(given) || given <= 0) throw new ShoeboxError('USAGE', `SHOEBOX_REMOTE_TIMEOUT_MS is "${text}": give a number of milliseconds over 0 (or unset it for the default, 30 s).`);
  return given;
}

/**
 * The least a remote must move once it answers, in bytes per second: a server that trickles (a
 * byte now and then, never silent long enough for the idle timeout) is taken for a hung one.
 * Each request must be done within 12 idle timeouts plus its bytes at this rate ([Note: A remote
 * that never finishes]).
 */
const MIN_BYTES_PER_S = 16 * 1024;

// [Note: A remote that never finishes]
// The idle timeout bounds silence, not a whole request: a server sending a byte every 29 s (or a
// broken proxy dribbling a response) would keep a free-up waiting for hours. So every request
// also has a deadline — 12 idle timeouts (room for the SDK's 4 attempts, each allowed its idle
// timeouts, and its backoff: 6 min by default) plus its body at 16 KiB/s — through the SDK's
// abortSignal, and an object read's body has one of its own, set from its length. Past it the
// request fails as the remote being unavailable, and is not retried.

/** Network failures in plain words. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections at that address',
  ENOTFOUND: 'its name could not be found (DNS)',
  EAI_AGAIN: 'its name could not be looked up right now (DNS)',
  ECONNRESET: 'the connection was cut',
  EHOSTUNREACH: 'that machine cannot be reached from here',
  ENETUNREACH: 'there is no network route to it',
};

/** "30 s", "0.5 s" */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** A thin S3 client for one remote: every failure becomes a ShoeboxError that says what to check. */
export class S3Store {
  private sdk: Promise<{ s3: typeof import('@aws-sdk/client-s3'); client: S3Client }> | undefined;

  private readonly timeoutMs = remoteTimeoutMs();

  /** `credentials`: keys from the shell's store; without them the SDK's default chain is used. */
  constructor(readonly loc: RemoteLocation, private readonly credentials?: RemoteCredentials) {}

  /**
   * The SDK and its client, loaded on first use: the SDK's module graph costs ~0.15 s of CPU
   * to load, and most commands (and every run without a remote) never talk to one.
   */
  private s3(): Promise<{ s3: typeof import('@aws-sdk/client-s3'); client: S3Client }> {
    this.sdk ??= import('@aws-sdk/client-s3').then((s3) => ({
      s3,
      client: new s3.S3Client({
        // Connect, and silence on a connected socket, are bounded (remoteTimeoutMs); each attempt
        // that times out is retried like any network failure, then reported.
        requestHandler: { connectionTimeout: this.timeoutMs, socketTimeout: this.timeoutMs },
        ...(this.credentials ? { credentials: this.credentials } : {}),
        region: this.loc.region ?? process.env.AWS_REGION ?? 'us-east-1',
        ...(this.loc.endpoint ? { endpoint: this.loc.endpoint, forcePathStyle: true } : {}),
        maxAttempts: 4, // the SDK retries with exponential backoff
        // Content-MD5 on each part is our checksum; no streaming checksum trailers (not every
        // S3-compatible store understands them).
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    }));
    return this.sdk;
  }

  private explain(err: unknown, what: string): ShoeboxError {
    const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; message?: string };
    const where = `${this.loc.url}${this.loc.endpoint ? ` at ${this.loc.endpoint}` : ''}`;
    const name = e.name ?? e.code ?? '';
    if (name === 'NoSuchBucket' || (name === 'NotFound' && what === 'check the bucket')) return new ShoeboxError('NOT_FOUND', `The bucket of ${where} does not exist. Create it first (or check the name). The local library is unaffected.`, { cause: err });
    if (/AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Forbidden/.test(name) || e.$metadata?.httpStatusCode === 403) {
      return new ShoeboxError('PATH_UNREADABLE', `Access to ${where} was denied: check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE) and their permissions. The local library is unaffected.`, { cause: err });
    }
    if (name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
      return new ShoeboxError('REMOTE_UNAVAILABLE', `The remote ${where} did not answer in ${seconds(this.timeoutMs)}: check the endpoint and the network; pushing resumes later. The local library is unaffected.`, { cause: err });
    }
    const unreachable = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH/.exec(`${name} ${e.code ?? ''} ${e.message ?? ''}`);
    if (unreachable) {
      return new ShoeboxError('REMOTE_UNAVAILABLE', `Cannot reach ${where}: ${NETWORK_WORDS[unreachable[0]]}. Check the endpoint and the network; pushing resumes later. The local library is unaffected.`, { cause: err });
    }
    return new ShoeboxError('REMOTE_UNAVAILABLE', `The remote ${where} failed to ${what}: ${e.message ?? name}. The local library is unaffected.`, { cause: err });
  }

  /** How long a request moving `bytes` may take in all ([Note: A remote that never finishes]). */
  private deadlineMs(bytes = 0): number {
    return 12 * this.timeoutMs + Math.ceil((bytes / MIN_BYTES_PER_S) * 1000);
  }

  private tooSlow(ms: number, cause?: unknown): ShoeboxError {
    const where = `${this.loc.url}${this.loc.endpoint ? ` at ${this.loc.endpoint}` : ''}`;
    return new ShoeboxError('REMOTE_UNAVAILABLE', `The remote ${where} answered too slowly (a request not done in ${seconds(ms)}): check the endpoint and the network; pushing resumes later. The local library is unaffected.`, { cause });
  }

  /**
   * Runs one request with its deadline (`fn` passes the signal to the SDK); failures are
   * explained, or handed to `otherwise` first (null: explain it).
   */
  private async call<T, U = never>(what: string, fn: (abortSignal: AbortSignal, s3: typeof import('@aws-sdk/client-s3'), client: S3Client) => Promise<T>, opts: { bytes?: number; otherwise?: (err: unknown) => U | null } = {}): Promise<T | U> {
    const { s3, client } = await this.s3();
    const ms = this.deadlineMs(opts.bytes);
    const signal = AbortSignal.timeout(ms);
    try {
      return await fn(signal, s3, client);
    } catch (err) {
      if (signal.aborted) throw this.tooSlow(ms, err);
      const instead = opts.otherwise?.(err) ?? null;
      if (instead !== null) return instead;
      throw this.explain(err, what);
    }
  }

  /** Checks the bucket exists and can be reached with these credentials. */
  async checkBucket(): Promise<void> {
    await this.call('check the bucket', (abortSignal, s3, client) => client.send(new s3.HeadBucketCommand({ Bucket: this.loc.bucket }), { abortSignal }));
  }

  /** Uploads a small object (in memory) with its MD5 checked by the server. */
  async put(key: string, body: Buffer): Promise<void> {
    const md5 = createHash('md5').update(body).digest('base64');
    await this.call('store an object', (abortSignal, s3, client) => client.send(new s3.PutObjectCommand({ Bucket: this.loc.bucket, Key: key, Body: body, ContentMD5: md5, ContentLength: body.length }), { abortSignal }), { bytes: body.length });
  }

  /** A stream of an object's bytes, or null if it does not exist. */
  async get(key: string): Promise<Readable | null> {
    const r = await this.call('read an object', (abortSignal, s3, client) => client.send(new s3.GetObjectCommand({ Bucket: this.loc.bucket, Key: key }), { abortSignal }), {
      otherwise: (err) => ((err as { name?: string }).name === 'NoSuchKey' ? false : null),
    });
    if (r === false) return null;
    const body = r.Body as Readable;
    // The body has a deadline of its own, from its length ([Note: A remote that never finishes]).
    const ms = this.deadlineMs(r.ContentLength ?? 0);
    const timer = setTimeout(() => body.destroy(this.tooSlow(ms)), ms);
    timer.unref();
    body.once('close', () => clearTimeout(timer));
    return body;
  }

  /** Reads a whole (small) object. */
  async getBuffer(key: string): Promise<Buffer | null> {
    const s = await this.get(key);
    if (!s) return null;
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  /** Deletes an object (missing is fine). */
  async delete(key: string): Promise<void> {
    await this.call('delete an object', (abortSignal, s3, client) => client.send(new s3.DeleteObjectCommand({ Bucket: this.loc.bucket, Key: key }), { abortSignal }));
  }

  /** Every object key under a prefix, with sizes. */
  async list(prefix: string): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    let token: string | undefined;
    do {
      const r = await this.call('list objects', (abortSignal, s3, client) => client.send(new s3.ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }), { abortSignal }));
      for (const o of r.Contents ?? []) if (o.Key) out.set(o.Key, o.Size ?? 0);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  /** Multipart: start. */
  async startMultipart(key: string): Promise<string> {
    const r = await this.call('start an upload', (abortSignal, s3, client) => client.send(new s3.CreateMultipartUploadCommand({ Bucket: this.loc.bucket, Key: key }), { abortSignal }));
    return r.UploadId!;
  }

  /** Multipart: one part, with its MD5 checked by the server. Returns its ETag. */
  async putPart(key: string, uploadId: string, n: number, body: Buffer): Promise<string> {
    const md5 = createHash('md5').update(body).digest('base64');
    const r = await this.call('store a part', (abortSignal, s3, client) => client.send(new s3.UploadPartCommand({ Bucket: this.loc.bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: body, ContentMD5: md5, ContentLength: body.length }), { abortSignal }), { bytes: body.length });
    return r.ETag!;
  }

  /** Multipart: finish. Returns false if the server no longer knows the upload (start again). */
  async completeMultipart(key: string, uploadId: string, parts: Map<number, string>): Promise<boolean> {
    const list = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([PartNumber, ETag]) => ({ PartNumber, ETag }));
    return this.call(
      'finish an upload',
      async (abortSignal, s3, client) => {
        await client.send(new s3.CompleteMultipartUploadCommand({ Bucket: this.loc.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: list } }), { abortSignal });
        return true;
      },
      { otherwise: (err) => (/NoSuchUpload|InvalidPart/.test((err as { name?: string }).name ?? '') ? false : null) },
    );
  }

  /** Multipart uploads under a prefix that were started and never finished. */
  async openUploads(prefix: string): Promise<Array<{ key: string; uploadId: string }> | null> {
    const r = await this.call('list open uploads', (abortSignal, s3, client) => client.send(new s3.ListMultipartUploadsCommand({ Bucket: this.loc.bucket, Prefix: prefix }), { abortSignal }), {
      otherwise: (err) => ((err as { name?: string }).name === 'NotImplemented' ? false : null), // some S3-compatible stores can't list them
    });
    if (r === false) return null;
    return (r.Uploads ?? []).filter((u) => u.Key && u.UploadId).map((u) => ({ key: u.Key!, uploadId: u.UploadId! }));
  }

  /** Multipart: give up on an upload (its parts are deleted). */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.call('cancel an upload', (abortSignal, s3, client) => client.send(new s3.AbortMultipartUploadCommand({ Bucket: this.loc.bucket, Key: key, UploadId: uploadId }), { abortSignal }));
  }
}
