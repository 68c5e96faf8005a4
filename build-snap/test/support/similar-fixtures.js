import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { PHOTOS } from './real-photos.js';
/** The edits a photo goes through: each result must be found similar to the original. */
const TRANSFORMS = [
    ['original', (i) => i.jpeg({ quality: 92 }), 'jpg'],
    ['resized-50', (i, m) => i.resize(Math.round((m.width ?? 400) / 2)).jpeg({ quality: 90 }), 'jpg'],
    ['recompressed-q30', (i) => i.jpeg({ quality: 30 }), 'jpg'],
    ['cropped-85', (i, m) => i.extract({ left: Math.round((m.width ?? 400) * 0.075), top: Math.round((m.height ?? 400) * 0.075), width: Math.round((m.width ?? 400) * 0.85), height: Math.round((m.height ?? 400) * 0.85) }).jpeg({ quality: 90 }), 'jpg'],
    ['brighter', (i) => i.modulate({ brightness: 1.25 }).jpeg({ quality: 90 }), 'jpg'],
    ['webp', (i) => i.webp({ quality: 75 }), 'webp'],
    ['rotated-4deg', (i, m) => i.rotate(4, { background: '#808080' }).resize(m.width ?? 400, m.height ?? 400, { fit: 'cover' }).jpeg({ quality: 90 }), 'jpg'],
];
/**
 * The labeled fixture set for Similar images (issue #8), made from real photos: each photo and
 * its six edits (resize, recompression, crop, brightness, format change, small rotation) form
 * one group; the motorcycle's second stereo view joins its group (two shots of the same
 * moment); every other pair must NOT group — including grass, gravel and brick, textures that
 * look alike to a crude hash. Written once into `dir` (cached).
 */
export async function similarFixtures(photosDir, dir) {
    const index = path.join(dir, 'labels.json');
    if (fs.existsSync(index))
        return JSON.parse(fs.readFileSync(index, 'utf8'));
    fs.mkdirSync(dir, { recursive: true });
    const out = [];
    for (const photo of PHOTOS) {
        const group = path.basename(photo, path.extname(photo));
        const src = path.join(photosDir, photo);
        const meta = await sharp(src).metadata();
        for (const [name, fn, ext] of TRANSFORMS) {
            const file = path.join(dir, `${group}-${name}.${ext}`);
            await fn(sharp(src).toColourspace('srgb'), meta).toFile(file);
            out.push({ file, group, transform: name });
        }
    }
    const burst = path.join(dir, 'motorcycle_left-burst-other-view.jpg');
    await sharp(path.join(photosDir, 'motorcycle_right.png')).jpeg({ quality: 92 }).toFile(burst);
    out.push({ file: burst, group: 'motorcycle_left', transform: 'burst' });
    fs.writeFileSync(index, JSON.stringify(out, null, 1));
    return out;
}
/** Pairwise precision, recall and F1 of a grouping against the labels (pairs of files in the same group). */
export function pairwiseScores(labels, groups) {
    const groupOf = new Map(labels.map((l) => [path.basename(l.file), l.group]));
    const key = (a, b) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
    const truth = new Set();
    for (let i = 0; i < labels.length; i++)
        for (let j = i + 1; j < labels.length; j++)
            if (labels[i].group === labels[j].group)
                truth.add(key(path.basename(labels[i].file), path.basename(labels[j].file)));
    const found = new Set();
    for (const g of groups) {
        const names = g.map((f) => path.basename(f)).filter((n) => groupOf.has(n));
        for (let i = 0; i < names.length; i++)
            for (let j = i + 1; j < names.length; j++)
                found.add(key(names[i], names[j]));
    }
    let tp = 0;
    for (const p of found)
        if (truth.has(p))
            tp++;
    const precision = found.size ? tp / found.size : 1;
    const recall = truth.size ? tp / truth.size : 1;
    return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, truePairs: truth.size, foundPairs: found.size };
}
//# sourceMappingURL=similar-fixtures.js.map