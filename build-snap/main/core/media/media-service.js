import fs from 'node:fs';
import path from 'node:path';
import { newExifTool } from '../dates/exiftool-reader.js';
import { blobPath } from '../blobs/blob-store.js';
import { ShoeboxError, isErrno } from '../errors.js';
/** Image types every browser (and Electron's Chromium) shows as they are. */
const SHOWN_AS_IS = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'image/x-icon']);
/** RAW formats: shown through the JPEG preview the camera embedded in them. */
function isRaw(mediaType) {
    return /^image\/x-(adobe-dng|canon-cr[23]|nikon-nef|sony-arw|olympus-orf|panasonic-rw2|fujifilm-raf|samsung-srw|pentax-pef)$/.test(mediaType) || mediaType === 'image/x-raw';
}
/**
 * The media the window shows, by file id only — a URL never names a path, so nothing outside
 * the library can be reached through it (serve's /media/ and Electron's shoebox-media:// both
 * come here). Full-size previews of HEIC, TIFF and RAW are made once and cached beside the
 * thumbnails.
 */
export class MediaService {
    ctx;
    thumbs;
    inflight = new Map();
    exiftool;
    constructor(ctx, thumbs) {
        this.ctx = ctx;
        this.thumbs = thumbs;
    }
    /** The file to send for a kind of media of a library file; NOT_FOUND when there is none. */
    async resolve(kind, fileId) {
        const row = this.ctx.cdb.db.prepare('SELECT blob_hash AS hash, media_type AS mediaType, size FROM files WHERE id = ?').get(fileId);
        if (!row)
            throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`);
        const blob = blobPath(this.ctx.paths.objects, row.hash);
        if (kind === 'original' || (kind === 'preview' && (SHOWN_AS_IS.has(row.mediaType) || row.mediaType.startsWith('video/')))) {
            return { path: blob, type: row.mediaType, size: row.size };
        }
        if (kind === 'thumb') {
            const t = await this.thumbs.get(fileId);
            if (t.kind !== 'image')
                throw new ShoeboxError('NOT_FOUND', 'This file has no preview (it could not be decoded).');
            return { path: t.path, type: 'image/webp', size: (await fs.promises.stat(t.path)).size };
        }
        const out = this.thumbs.cachePath(row.hash, 'preview.jpg');
        let p = this.inflight.get(row.hash);
        if (!p) {
            p = this.makePreview(blob, row.mediaType, out).finally(() => this.inflight.delete(row.hash));
            this.inflight.set(row.hash, p);
        }
        return p;
    }
    async makePreview(blob, mediaType, out) {
        try {
            return { path: out, type: 'image/jpeg', size: (await fs.promises.stat(out)).size };
        }
        catch (err) {
            if (!isErrno(err, 'ENOENT'))
                throw err;
        }
        await fs.promises.mkdir(path.dirname(out), { recursive: true });
        let input = blob;
        let embedded;
        try {
            if (isRaw(mediaType)) {
                embedded = path.join(this.ctx.tmpDir, `raw-preview-${path.basename(out)}`);
                this.exiftool ??= await newExifTool({ maxProcs: 1 });
                await this.exiftool.extractPreview(blob, embedded).catch(() => this.exiftool.extractJpgFromRaw(blob, embedded));
                input = embedded;
            }
            await this.ctx.pool.preview({ input, mediaType: isRaw(mediaType) ? 'image/jpeg' : mediaType, outPath: out });
        }
        catch (err) {
            throw new ShoeboxError('NOT_FOUND', 'This photo cannot be shown (it could not be decoded).', { cause: err });
        }
        finally {
            if (embedded)
                await fs.promises.rm(embedded, { force: true });
        }
        return { path: out, type: 'image/jpeg', size: (await fs.promises.stat(out)).size };
    }
    /** Ends ExifTool if it was started. */
    async close() {
        await this.exiftool?.end();
    }
}
//# sourceMappingURL=media-service.js.map