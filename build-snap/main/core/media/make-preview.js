import fs from 'node:fs';
import sharp from 'sharp';
import { loadHeicDecoder } from './heic.js';
/** Refuse to decode images with more pixels than this (decompression bombs): 200 MP. */
const MAX_PIXELS = 200_000_000;
/**
 * Opens an image for display at full size, orientation applied: HEIC through heic-decode (the
 * prebuilt libvips can't read it), everything else through sharp. Throws for an undecodable file.
 */
export async function decodeForDisplay(input, mediaType) {
    if (/^image\/hei[cf]/.test(mediaType)) {
        const d = await (await loadHeicDecoder())({ buffer: await fs.promises.readFile(input) });
        if (d.width * d.height > MAX_PIXELS)
            throw new Error(`${d.width}×${d.height} is too large to show`);
        return sharp(Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength), { raw: { width: d.width, height: d.height, channels: 4 } });
    }
    return sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).autoOrient();
}
/**
 * Decodes an image at full size and writes it as a JPEG (quality 90, orientation applied) to a
 * temp name, then renames it into place. Throws for an undecodable file.
 */
export async function makePreview(task) {
    const img = await decodeForDisplay(task.input, task.mediaType);
    const tmp = `${task.outPath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const info = await img.jpeg({ quality: 90, mozjpeg: false }).toFile(tmp);
    await fs.promises.rename(tmp, task.outPath);
    return { width: info.width, height: info.height };
}
//# sourceMappingURL=make-preview.js.map