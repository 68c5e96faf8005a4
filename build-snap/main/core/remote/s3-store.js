import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand, } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { ShoeboxError } from '../errors.js';
// The SDK warns on every run under Node 20 that its 2027 releases will need Node 22. That note
// is for us (package.json pins what we use), not for a person running `shoebox`.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
/** Parses `s3://bucket/prefix` (the prefix gets a trailing slash). */
export function parseRemoteUrl(url, endpoint, region) {
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url.trim());
    if (!m)
        throw new ShoeboxError('USAGE', `"${url}" is not an S3 location: write it as s3://BUCKET/PREFIX.`);
    const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
    return { url: `s3://${m[1]}/${prefix ? `${prefix}/` : ''}`, bucket: m[1], prefix: prefix ? `${prefix}/` : '', endpoint: endpoint ?? null, region: region ?? null };
}
/** A thin S3 client for one remote: every failure becomes a ShoeboxError that says what to check. */
export class S3Store {
    loc;
    client;
    /** `credentials`: keys from the shell's store; without them the SDK's default chain is used. */
    constructor(loc, credentials) {
        this.loc = loc;
        this.client = new S3Client({
            ...(credentials ? { credentials } : {}),
            region: loc.region ?? process.env.AWS_REGION ?? 'us-east-1',
            ...(loc.endpoint ? { endpoint: loc.endpoint, forcePathStyle: true } : {}),
            maxAttempts: 4, // the SDK retries with exponential backoff
            // Content-MD5 on each part is our checksum; no streaming checksum trailers (not every
            // S3-compatible store understands them).
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
        });
    }
    explain(err, what) {
        const e = err;
        const where = `${this.loc.url}${this.loc.endpoint ? ` at ${this.loc.endpoint}` : ''}`;
        const name = e.name ?? e.code ?? '';
        if (name === 'NoSuchBucket' || (name === 'NotFound' && what === 'check the bucket'))
            return new ShoeboxError('NOT_FOUND', `The bucket of ${where} does not exist. Create it first (or check the name). The local library is unaffected.`, { cause: err });
        if (/AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Forbidden/.test(name) || e.$metadata?.httpStatusCode === 403) {
            return new ShoeboxError('PATH_UNREADABLE', `Access to ${where} was denied: check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE) and their permissions. The local library is unaffected.`, { cause: err });
        }
        if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError/.test(`${name} ${e.code ?? ''} ${e.message ?? ''}`)) {
            return new ShoeboxError('IO_ERROR', `Cannot reach ${where} (${e.code ?? name}). Check the endpoint and the network; pushing resumes later. The local library is unaffected.`, { cause: err });
        }
        return new ShoeboxError('IO_ERROR', `The remote ${where} failed to ${what}: ${e.message ?? name}. The local library is unaffected.`, { cause: err });
    }
    async call(what, fn) {
        try {
            return await fn();
        }
        catch (err) {
            throw this.explain(err, what);
        }
    }
    /** Checks the bucket exists and can be reached with these credentials. */
    async checkBucket() {
        await this.call('check the bucket', () => this.client.send(new HeadBucketCommand({ Bucket: this.loc.bucket })));
    }
    /** Uploads a small object (in memory) with its MD5 checked by the server. */
    async put(key, body) {
        const md5 = createHash('md5').update(body).digest('base64');
        await this.call('store an object', () => this.client.send(new PutObjectCommand({ Bucket: this.loc.bucket, Key: key, Body: body, ContentMD5: md5, ContentLength: body.length })));
    }
    /** A stream of an object's bytes, or null if it does not exist. */
    async get(key) {
        try {
            const r = await this.client.send(new GetObjectCommand({ Bucket: this.loc.bucket, Key: key }));
            return r.Body;
        }
        catch (err) {
            if (err.name === 'NoSuchKey')
                return null;
            throw this.explain(err, 'read an object');
        }
    }
    /** Reads a whole (small) object. */
    async getBuffer(key) {
        const s = await this.get(key);
        if (!s)
            return null;
        const chunks = [];
        for await (const c of s)
            chunks.push(c);
        return Buffer.concat(chunks);
    }
    /** Deletes an object (missing is fine). */
    async delete(key) {
        await this.call('delete an object', () => this.client.send(new DeleteObjectCommand({ Bucket: this.loc.bucket, Key: key })));
    }
    /** Every object key under a prefix, with sizes. */
    async list(prefix) {
        const out = new Map();
        let token;
        do {
            const r = await this.call('list objects', () => this.client.send(new ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) })));
            for (const o of r.Contents ?? [])
                if (o.Key)
                    out.set(o.Key, o.Size ?? 0);
            token = r.IsTruncated ? r.NextContinuationToken : undefined;
        } while (token);
        return out;
    }
    /** Multipart: start. */
    async startMultipart(key) {
        const r = await this.call('start an upload', () => this.client.send(new CreateMultipartUploadCommand({ Bucket: this.loc.bucket, Key: key })));
        return r.UploadId;
    }
    /** Multipart: one part, with its MD5 checked by the server. Returns its ETag. */
    async putPart(key, uploadId, n, body) {
        const md5 = createHash('md5').update(body).digest('base64');
        const r = await this.call('store a part', () => this.client.send(new UploadPartCommand({ Bucket: this.loc.bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: body, ContentMD5: md5, ContentLength: body.length })));
        return r.ETag;
    }
    /** Multipart: finish. Returns false if the server no longer knows the upload (start again). */
    async completeMultipart(key, uploadId, parts) {
        const list = [...parts.entries()].sort((a, b) => a[0] - b[0]).map(([PartNumber, ETag]) => ({ PartNumber, ETag }));
        try {
            await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.loc.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: list } }));
            return true;
        }
        catch (err) {
            if (/NoSuchUpload|InvalidPart/.test(err.name ?? ''))
                return false;
            throw this.explain(err, 'finish an upload');
        }
    }
    /** Multipart uploads under a prefix that were started and never finished. */
    async openUploads(prefix) {
        try {
            const r = await this.client.send(new ListMultipartUploadsCommand({ Bucket: this.loc.bucket, Prefix: prefix }));
            return (r.Uploads ?? []).filter((u) => u.Key && u.UploadId).map((u) => ({ key: u.Key, uploadId: u.UploadId }));
        }
        catch (err) {
            if (err.name === 'NotImplemented')
                return null; // some S3-compatible stores can't list them
            throw this.explain(err, 'list open uploads');
        }
    }
    /** Multipart: give up on an upload (its parts are deleted). */
    async abortMultipart(key, uploadId) {
        await this.call('cancel an upload', () => this.client.send(new AbortMultipartUploadCommand({ Bucket: this.loc.bucket, Key: key, UploadId: uploadId })));
    }
}
//# sourceMappingURL=s3-store.js.map