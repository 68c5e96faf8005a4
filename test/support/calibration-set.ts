import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { calibrationSources, type CalibrationSource } from './calibration-sources.js';
import { seededRandom } from './fixtures.js';

/** How an image of the set was made from its scene's photo. */
export type PositiveKind = 'resize' | 'recompress' | 'crop' | 'colour' | 'format' | 'rotate' | 'screenshot';
/** Every generated kind, in a fixed order. */
export const POSITIVE_KINDS: PositiveKind[] = ['resize', 'recompress', 'crop', 'colour', 'format', 'rotate', 'screenshot'];

/** One image of the calibration set. */
export interface CalibrationImage {
  file: string;
  /** The scene (ground truth: same scene = should group). */
  scene: string;
  subject: string;
  /** 'original', a generated kind, or a real relation ('burst', 'real-resize', 'same-photo'). */
  kind: string;
  split: 'tuning' | 'held-out';
  /** The source photo it was made from. */
  source: string;
}

/** Bump when the generation changes, so caches are rebuilt. */
const VERSION = 1;
/** Generated edits per source photo (3 of the 7 kinds, balanced across the set). */
const EDITS_PER_SOURCE = 3;

/** A seeded generator for one source and purpose: the same seed makes the same set. */
function rng(seed: number, key: string): () => number {
  return seededRandom(createHash('sha256').update(`${seed}:${key}`).digest().readUInt32LE(0));
}

/** The split of a scene: by a hash of the seed and the scene, so no scene is on both sides. */
export function splitOf(seed: number, scene: string): CalibrationImage['split'] {
  return createHash('sha256').update(`split:${seed}:${scene}`).digest()[0]! % 2 === 0 ? 'tuning' : 'held-out';
}

/** Applies one kind of edit, the way people make such copies; returns the pipeline and the file extension. */
async function edit(kind: PositiveKind, src: string, r: () => number): Promise<[Sharp, string]> {
  const base = () => sharp(src).rotate().toColourspace('srgb');
  const { width: w0 = 400, height: h0 = 400 } = await base().toBuffer({ resolveWithObject: true }).then((x) => x.info);
  const between = (lo: number, hi: number) => lo + (hi - lo) * r();
  switch (kind) {
    case 'resize': // a copy sent by a messenger or exported smaller
      return [base().resize(Math.max(64, Math.round(w0 * between(0.25, 0.6)))).jpeg({ quality: 85 }), 'jpg'];
    case 'recompress': // saved again at low quality
      return [base().jpeg({ quality: Math.round(between(15, 40)), chromaSubsampling: '4:2:0' }), 'jpg'];
    case 'crop': { // cropped in an editor
      const cw = Math.round(w0 * between(0.7, 0.9));
      const ch = Math.round(h0 * between(0.7, 0.9));
      return [base().extract({ left: Math.round((w0 - cw) * r()), top: Math.round((h0 - ch) * r()), width: cw, height: ch }).jpeg({ quality: 90 }), 'jpg'];
    }
    case 'colour': { // brightness, saturation, hue, warmth or black-and-white
      const which = Math.floor(r() * 5);
      const s = base();
      if (which === 0) return [s.modulate({ brightness: r() < 0.5 ? between(0.7, 0.85) : between(1.15, 1.35) }).jpeg({ quality: 90 }), 'jpg'];
      if (which === 1) return [s.modulate({ saturation: r() < 0.5 ? between(0.4, 0.7) : between(1.3, 1.6) }).jpeg({ quality: 90 }), 'jpg'];
      if (which === 2) return [s.modulate({ hue: Math.round(between(-18, 18)) }).jpeg({ quality: 90 }), 'jpg'];
      if (which === 3) return [s.recomb([[1.1, 0.05, 0], [0, 1, 0], [0, 0.05, 0.85]]).linear(1.1, -10).jpeg({ quality: 90 }), 'jpg'];
      return [s.grayscale().jpeg({ quality: 90 }), 'jpg'];
    }
    case 'format': // converted to another format
      return r() < 0.5 ? [base().webp({ quality: 75 }), 'webp'] : [base().png({ compressionLevel: 6 }), 'png'];
    case 'rotate': { // straightened: a small rotation, then cropped to lose the corners
      const deg = (r() < 0.5 ? -1 : 1) * between(1.5, 6);
      const rad = (Math.abs(deg) * Math.PI) / 180;
      const rotated = await base().rotate(deg).toBuffer({ resolveWithObject: true });
      const keepW = Math.floor((w0 - h0 * Math.tan(rad)) * 0.98);
      const keepH = Math.floor((h0 - w0 * Math.tan(rad)) * 0.98);
      const cw = Math.max(32, Math.min(keepW, rotated.info.width));
      const ch = Math.max(32, Math.min(keepH > 0 ? keepH : h0 / 2, rotated.info.height));
      return [sharp(rotated.data).extract({ left: Math.floor((rotated.info.width - cw) / 2), top: Math.floor((rotated.info.height - ch) / 2), width: cw, height: Math.floor(ch) }).jpeg({ quality: 90 }), 'jpg'];
    }
    case 'screenshot':
      return [await screenshotOf(src, r), 'png'];
  }
}

/** A screenshot of the photo open in a viewer: a window with title bar, toolbar, side panel and status bar, on a desktop. */
async function screenshotOf(src: string, r: () => number): Promise<Sharp> {
  const screens: Array<[number, number]> = [[1366, 768], [1920, 1080], [1280, 800], [1080, 2340]];
  const [W, H] = screens[Math.floor(r() * screens.length)]!;
  const dark = r() < 0.5;
  const chrome = dark ? '#2b2b2b' : '#ececec';
  const side = Math.round(W * (W > H ? 0.18 : 0));
  const top = 36 + 44;
  const bottom = 28;
  const boxW = W - side - 40;
  const boxH = H - top - bottom - 40;
  const photo = await sharp(src).rotate().toColourspace('srgb').resize(boxW, boxH, { fit: 'inside' }).png().toBuffer({ resolveWithObject: true });
  const icons = Array.from({ length: 8 }, (_, i) => `<rect x="${12 + i * 40}" y="44" width="28" height="28" rx="5" fill="${dark ? '#555' : '#bbb'}"/>`).join('');
  const rows = side ? Array.from({ length: 12 }, (_, i) => `<rect x="14" y="${top + 16 + i * 34}" width="${side - 40 - (i % 3) * 20}" height="14" rx="3" fill="${dark ? '#444' : '#d0d0d0'}"/>`).join('') : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <rect width="${W}" height="${H}" fill="${chrome}"/>
    <rect width="${W}" height="36" fill="${dark ? '#1e1e1e' : '#dadada'}"/>
    <circle cx="18" cy="18" r="6" fill="#e0443e"/><circle cx="38" cy="18" r="6" fill="#dea123"/><circle cx="58" cy="18" r="6" fill="#1aab29"/>
    <rect x="${W / 2 - 120}" y="12" width="240" height="12" rx="3" fill="${dark ? '#666' : '#999'}"/>
    ${icons}${side ? `<rect x="0" y="${top}" width="${side}" height="${H - top - bottom}" fill="${dark ? '#333' : '#f6f6f6'}"/>` : ''}${rows}
    <rect x="0" y="${H - bottom}" width="${W}" height="${bottom}" fill="${dark ? '#1e1e1e' : '#dadada'}"/>
  </svg>`;
  const left = side + 20 + Math.floor((boxW - photo.info.width) / 2);
  const y = top + 20 + Math.floor((boxH - photo.info.height) / 2);
  return sharp(Buffer.from(svg)).composite([{ input: photo.data, left, top: y }]).png();
}

/** The cache the set is written into (per version and seed). */
export function calibrationDir(seed: number): string {
  return path.join(os.tmpdir(), 'shoebox-calibration', `v${VERSION}-seed${seed}`);
}

/**
 * The calibration set (issue #17): every source photo as shipped ('original', or a real pair's
 * second photo), and for each photo three generated edits, the kinds dealt round-robin over a
 * seeded shuffle so each kind covers about 3/7 of the photos. Split into a tuning half and a
 * held-out half by scene. `which` limits it to some sources (tests use a subset); files are
 * generated once into the cache.
 */
export async function calibrationSet(opts: { seed?: number; which?: (s: CalibrationSource) => boolean } = {}): Promise<{ images: CalibrationImage[]; sources: CalibrationSource[] }> {
  const seed = opts.seed ?? 17;
  const dir = calibrationDir(seed);
  const all = calibrationSources(path.join(dir, 'sources'));
  // the kinds are dealt over the originals in a seeded order, so each kind gets a fair share
  const r0 = rng(seed, 'deal');
  const originals = all.filter((s) => s.relation === 'original').map((s) => ({ s, k: r0() })).sort((a, b) => a.k - b.k).map((x) => x.s);
  const dealt = new Map<string, PositiveKind[]>();
  originals.forEach((s, i) => dealt.set(s.id, Array.from({ length: EDITS_PER_SOURCE }, (_, j) => POSITIVE_KINDS[(i * EDITS_PER_SOURCE + j) % POSITIVE_KINDS.length]!)));
  const sources = opts.which ? all.filter(opts.which) : all;
  const images: CalibrationImage[] = [];
  const slug = (id: string) => id.replace(/[^A-Za-z0-9._-]+/g, '_');
  for (const s of sources) {
    const split = splitOf(seed, s.scene);
    images.push({ file: s.file, scene: s.scene, subject: s.subject, kind: s.relation, split, source: s.id });
    for (const kind of dealt.get(s.id) ?? []) {
      const r = rng(seed, `${s.id}:${kind}`);
      const stem = path.join(dir, 'edits', `${slug(s.id)}--${kind}`);
      let file = ['jpg', 'png', 'webp'].map((e) => `${stem}.${e}`).find((f) => fs.existsSync(f));
      if (!file) {
        const [pipeline, ext] = await edit(kind, s.file, r);
        file = `${stem}.${ext}`;
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await pipeline.toFile(`${file}.tmp`);
        fs.renameSync(`${file}.tmp`, file);
      }
      images.push({ file, scene: s.scene, subject: s.subject, kind, split, source: s.id });
    }
  }
  return { images, sources };
}
