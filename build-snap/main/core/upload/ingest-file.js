import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BlobWriter, CHUNK, alignedChunkBuffer, fillChunk } from '../blobs/blob-writer.js';
import { placeBlob } from '../blobs/blob-store.js';
import { isDiskFull, isErrno } from '../errors.js';
import { MAX_FILE_BYTES, SNIFF_BYTES, classifyMedia, mediaTypeFromName } from '../media/media-type.js';
import { fsPath } from '../media/raw-names.js';
let buffers; // per worker thread, reused across tasks
/**
 * Reads a source file once, streaming: sniffs its type from the first bytes, hashes it
 * (SHA-256) and in copy mode writes it to a temp file which is fsynced, verified by re-reading
 * and renamed into the blob store. A file that changes while read (size, mtime or ctime differ
 * after the last byte, or the hash doesn't match `expectedHash`) gives SOURCE_CHANGED, and the
 * temp file is removed. Never writes to the source.
 */
export async function ingestFile(task, hooks = {}) {
    buffers ??= [alignedChunkBuffer(), alignedChunkBuffer()];
    const bufs = buffers;
    let fd;
    try {
        // O_NONBLOCK: a FIFO put where a file was must not hang the worker; fstat below skips it.
        fd = fs.openSync(fsPath(task.path), fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    }
    catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR'))
            return { kind: 'vanished' };
        return sourceError(err);
    }
    let writer;
    try {
        const before = fs.fstatSync(fd);
        if (!before.isFile())
            return { kind: 'ignored', reason: 'not-a-file', detectedType: null };
        const max = task.maxBytes ?? MAX_FILE_BYTES;
        const name = path.basename(task.path);
        if (before.size > max) {
            return { kind: 'failed', code: 'FILE_TOO_LARGE', message: `is ${formatGiB(before.size)}, over the ${formatGiB(max)} limit; it was not backed up` };
        }
        // Read exactly the size stat gave: a file that keeps growing must not keep us reading
        // forever; the stat after the last byte tells whether it changed.
        let cur = 0;
        let n = await fillChunk(fd, bufs[0], 0, before.size);
        let mediaType = task.mediaType;
        let mediaBy = 'content';
        if (!mediaType) {
            if (before.size === 0) {
                return mediaTypeFromName(name)
                    ? { kind: 'failed', code: 'FILE_EMPTY', message: 'is empty (0 bytes); there is nothing to back up' }
                    : { kind: 'ignored', reason: 'not-media', detectedType: null };
            }
            const verdict = await classifyMedia(bufs[0].subarray(0, Math.min(n, SNIFF_BYTES * 16)), name);
            if (verdict.kind === 'other')
                return { kind: 'ignored', reason: 'not-media', detectedType: verdict.mediaType };
            mediaType = verdict.mediaType;
            mediaBy = verdict.by;
        }
        const hash = createHash('sha256');
        if (task.mode === 'copy') {
            try {
                writer = new BlobWriter(task.tmpDir);
            }
            catch (err) {
                // The library's temp folder, not the source: never blame the source for it (the
                // library may have been moved away: [Note: A library moved while open]).
                if (isDiskFull(err))
                    return { kind: 'failed', code: 'DISK_FULL', message: `could not be stored: the library disk is full (${err.message})` };
                return { kind: 'failed', code: 'IO_ERROR', message: `could not be written into the library: ${err.message}` };
            }
        }
        // Double-buffered: while this chunk is hashed, it is written and the next one is read.
        let total = 0;
        while (n > 0) {
            const buf = bufs[cur];
            const written = writer?.write(buf, n);
            const next = fillChunk(fd, bufs[1 - cur], total + n, before.size);
            hash.update(buf.subarray(0, n));
            const [, nextN] = await Promise.all([written, next]);
            total += n;
            hooks.afterChunk?.(total);
            n = nextN;
            cur = 1 - cur;
        }
        const after = fs.fstatSync(fd);
        const digest = hash.digest('hex');
        const changed = total !== before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs || after.ctimeMs !== before.ctimeMs ||
            (task.expectedHash !== undefined && task.expectedHash !== digest);
        if (changed)
            return { kind: 'failed', code: 'SOURCE_CHANGED', message: 'changed while it was being read' };
        if (writer) {
            if ((await writer.finishAndHash(bufs)) !== digest) {
                return { kind: 'failed', code: 'IO_ERROR', message: 'was copied into the library but the copy did not verify; it will be retried' };
            }
            placeBlob(task.objectsDir, writer.file, digest);
            writer = undefined;
        }
        return { kind: 'hashed', hash: digest, size: total, mtimeMs: Math.trunc(before.mtimeMs), ino: Number(before.ino), mediaType, mediaBy, stored: task.mode === 'copy' };
    }
    catch (err) {
        if (isDiskFull(err))
            return { kind: 'failed', code: 'DISK_FULL', message: `could not be stored: the library disk is full (${err.message})` };
        if (writer)
            return { kind: 'failed', code: 'IO_ERROR', message: `could not be written into the library: ${err.message}` };
        return sourceError(err);
    }
    finally {
        fs.closeSync(fd);
        writer?.discard();
    }
}
/** Hashes a whole file (streaming) with SHA-256; used to verify stored blobs. */
export function hashFile(file, buf = Buffer.allocUnsafe(CHUNK)) {
    const fd = fs.openSync(file, 'r');
    try {
        const hash = createHash('sha256');
        let pos = 0;
        for (let n = fs.readSync(fd, buf, 0, buf.length, pos); n > 0; n = fs.readSync(fd, buf, 0, buf.length, pos)) {
            hash.update(buf.subarray(0, n));
            pos += n;
        }
        return hash.digest('hex');
    }
    finally {
        fs.closeSync(fd);
    }
}
function sourceError(err) {
    const code = err.code ?? 'unknown';
    if (isErrno(err, 'EACCES', 'EPERM'))
        return { kind: 'failed', code: 'SOURCE_UNREADABLE', message: `cannot be read: permission denied (${code}); check its permissions` };
    return { kind: 'failed', code: 'SOURCE_UNREADABLE', message: `cannot be read (${code}: ${err.message})` };
}
function formatGiB(bytes) {
    return `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 === 0 ? 0 : 2)} GiB`;
}
//# sourceMappingURL=ingest-file.js.map