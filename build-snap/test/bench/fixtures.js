import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { randomBytesSeeded, withComment } from '../support/fixtures.js';
/** A 12-megapixel JPEG with camera-like noise (about 6–7 MB, like a phone photo). */
export async function cameraLikeJpeg(seed, width = 4000, height = 3000) {
    const raw = Buffer.alloc(width * height * 3);
    let x = seed * 2654435761 || 1;
    for (let i = 0, p = 0; i < raw.length; i += 3, p++) {
        const px = p % width;
        const py = (p / width) | 0;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const n = x & 63;
        raw[i] = ((px * 255) / width + n + seed * 40) & 255;
        raw[i + 1] = ((py * 255) / height + n) & 255;
        raw[i + 2] = ((px + py) / 2 + n + seed * 17) & 255;
    }
    return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 88 }).toBuffer();
}
/**
 * A folder tree of at least `minBytes` of real-sized, all-different JPEGs, cached between runs
 * (generation takes a while). Each file is one of a few camera-like bases with a unique
 * comment segment, so every file has its own hash.
 */
export async function photoTree(dir, minBytes, folders = 10) {
    const marker = path.join(dir, `.complete-${minBytes}`);
    if (fs.existsSync(marker))
        return JSON.parse(fs.readFileSync(marker, 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
    const bases = await Promise.all([1, 2, 3, 4, 5, 6].map((s) => cameraLikeJpeg(s)));
    let bytes = 0;
    let files = 0;
    while (bytes < minBytes) {
        const base = bases[files % bases.length];
        const file = withComment(base, randomBytesSeeded(`bench-${files}`, 16_384));
        const folder = path.join(dir, `Trip ${String(files % folders).padStart(2, '0')}`, files % 3 === 0 ? 'Day 1' : '');
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(path.join(folder, `IMG_${String(files).padStart(4, '0')}.jpg`), file);
        bytes += file.length;
        files++;
    }
    const info = { files, bytes };
    fs.writeFileSync(marker, JSON.stringify(info));
    return info;
}
//# sourceMappingURL=fixtures.js.map