import { decodeForDisplay } from '../media/make-preview.js';
/**
 * A large preview of an image (same decode as the viewer's, see media/make-preview.ts), sized
 * for looking at it closely, e.g. the side-by-side compare of Similar images. Not cached: it is
 * made when asked. A file that can't be decoded is reported, never thrown.
 */
export async function makeLargePreview(task) {
    try {
        const image = await decodeForDisplay(task.blobPath, task.mediaType);
        const { data, info } = await image.resize(task.maxSide, task.maxSide, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 85 }).toBuffer({ resolveWithObject: true });
        return { ok: true, webp: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    }
    catch (err) {
        return { ok: false, message: err.message };
    }
}
//# sourceMappingURL=make-preview.js.map