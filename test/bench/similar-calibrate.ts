// `node build/test/bench/similar-calibrate.js [--seed N] [--no-findimagedupes]` (also part of
// `npm run bench similar`): the threshold sweep of issue #17 on the calibration set's held-out
// half — pairwise precision, recall and F1 at 0.80…0.97, the near-identical claims with and
// without the structural second opinion, per-kind recall at the default, and findimagedupes's
// best threshold on the same images. Needs the photo packages `.ci/setup test` fetches.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_THRESHOLD, NEAR_IDENTICAL, SAME_PIXELS, chooseBestShot, nearIdentical } from '../../main/core/similar/decide-similar.js';
import { groupSimilar, packVectors } from '../../main/core/similar/group-similar.js';
import { DEFAULT_MODEL } from '../../main/core/similar/model-path.js';
import { pixelSimilarity } from '../../main/core/similar/image-features.js';
import { cosine, embedCalibration, layoutsOf, type EmbeddedImage } from '../support/calibration-embeddings.js';
import { calibrationDir, calibrationSet } from '../support/calibration-set.js';
import { have } from './measure.js';

/** Pairwise scores of a grouping against the scenes. */
export interface Scores { precision: number; recall: number; f1: number; truePairs: number; foundPairs: number; falsePairs: number }

/** Pairwise precision/recall/F1 of groups (of indices into `images`). */
export function score(images: Array<{ scene: string }>, groups: number[][]): Scores {
  let truePairs = 0;
  const per = new Map<string, number>();
  for (const i of images) per.set(i.scene, (per.get(i.scene) ?? 0) + 1);
  for (const n of per.values()) truePairs += (n * (n - 1)) / 2;
  let found = 0;
  let tp = 0;
  for (const g of groups) {
    for (let a = 0; a < g.length; a++) {
      for (let b = a + 1; b < g.length; b++) {
        found++;
        if (images[g[a]!]!.scene === images[g[b]!]!.scene) tp++;
      }
    }
  }
  const precision = found ? tp / found : 1;
  const recall = truePairs ? tp / truePairs : 1;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, truePairs, foundPairs: found, falsePairs: found - tp };
}

/** The engine's grouping of embedded images at a threshold. */
export function groupImages(images: EmbeddedImage[], threshold: number): Promise<number[][]> {
  return groupSimilar(packVectors(images.map((i) => i.vector)), { threshold, threads: 2 });
}

/**
 * The near-identical claims a grouping makes: (kept image, member) pairs that would be
 * pre-selected, with the pixel check at `bars.pixels` (-2: the cosine bar alone).
 */
export function claims(images: EmbeddedImage[], layouts: Uint8Array[], groups: number[][], bars: { near: number; pixels: number }): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const g of groups) {
    const keep = chooseBestShot(g.map((i) => ({ fileId: i + 1, width: images[i]!.width, height: images[i]!.height, size: 0, features: images[i]!.features }))).fileId - 1;
    for (const m of g) if (m !== keep && nearIdentical({ cosine: cosine(images[keep]!.vector, images[m]!.vector), pixels: pixelSimilarity(layouts[keep]!, layouts[m]!) }, bars)) out.push([keep, m]);
  }
  return out;
}

function findimagedupes(files: string[], threshold: number, db: string): string[][] {
  const r = spawnSync('findimagedupes', ['-f', db, '-q', '-t', `${threshold}%`, '--', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split(' ').filter(Boolean));
}

const f3 = (x: number) => x.toFixed(3);

/** Runs the sweep and returns the printed report (also used by the bench). */
export async function calibrationReport(opts: { seed?: number; findimagedupes?: boolean; log?: (s: string) => void } = {}): Promise<string[]> {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 17;
  const { images, sources } = await calibrationSet({ seed });
  log(`calibration set: ${sources.length} source photos, ${images.length} images; embedding (cached)…`);
  const all = await embedCalibration(DEFAULT_MODEL, images, calibrationDir(seed));
  const out: string[] = [];
  const layouts = await layoutsOf(all);
  const held = all.filter((i) => i.split === 'held-out');
  const heldLayouts = layouts.filter((_, i) => all[i]!.split === 'held-out');
  const tuning = all.filter((i) => i.split === 'tuning');
  const scenes = (xs: EmbeddedImage[]) => new Set(xs.map((x) => x.scene)).size;
  out.push(`Calibration set (seed ${seed}): ${sources.length} real photos from ${new Set(sources.map((s) => s.package)).size} Debian packages, ${images.length} images; tuning ${tuning.length} images / ${scenes(tuning)} scenes, held-out ${held.length} images / ${scenes(held)} scenes.`);
  out.push('', 'Held-out sweep (complete-linkage groups):', '| threshold | precision | recall | F1 | pairs found | false pairs | largest group | tuning precision |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  let tuned = 0;
  let clean = 0;
  for (let t = 0.8; t <= 0.9701; t += 0.01) {
    const th = Math.round(t * 100) / 100;
    const g = await groupImages(held, th);
    const s = score(held, g);
    const st = score(tuning, await groupImages(tuning, th));
    if (!tuned && st.precision >= 0.99) tuned = th;
    if (!clean && st.falsePairs === 0) clean = th;
    out.push(`| ${th.toFixed(2)}${th === DEFAULT_THRESHOLD ? ' (default)' : ''} | ${f3(s.precision)} | ${f3(s.recall)} | ${f3(s.f1)} | ${s.foundPairs} | ${s.falsePairs} | ${Math.max(0, ...g.map((x) => x.length))} | ${f3(st.precision)} |`);
  }
  out.push(`Tuning half: precision first ≥ 0.99 at ${tuned.toFixed(2)}; no false pair from ${clean.toFixed(2)} (the default is ${DEFAULT_THRESHOLD}).`);

  // the second opinion over every pair of the set (not only within groups): at the same recall, does it raise precision?
  const truth = (i: number, j: number) => all[i]!.scene === all[j]!.scene;
  const pairs: Array<[number, boolean, number]> = [];
  for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) {
    const c = cosine(all[i]!.vector, all[j]!.vector);
    if (c >= 0.8) pairs.push([c, truth(i, j), pixelSimilarity(layouts[i]!, layouts[j]!)]);
  }
  out.push('', 'The pixel check over every pair of the whole set with cosine ≥ 0.80: claims by cosine alone vs cosine and pixels ≥ ' + SAME_PIXELS + ' (64×64 RGB, lowest channel NCC):', '| cosine bar | claims | wrong | claims w/ pixel check | wrong |', '| --- | --- | --- | --- | --- |');
  for (const bar of [0.8, 0.82, 0.84, 0.86, 0.88, 0.9, 0.93]) {
    const a = pairs.filter(([c]) => c >= bar);
    const b = a.filter(([, , n]) => n >= SAME_PIXELS);
    out.push(`| ${bar.toFixed(2)} | ${a.length} | ${a.filter(([, t]) => !t).length} | ${b.length} | ${b.filter(([, t]) => !t).length} |`);
  }

  const g = await groupImages(held, DEFAULT_THRESHOLD);
  const inGroup = new Map<number, number>();
  g.forEach((x, gi) => x.forEach((i) => inGroup.set(i, gi)));
  const original = new Map(held.map((x, i) => [x, i] as const).filter(([x]) => x.kind === 'original').map(([x, i]) => [x.scene, i]));
  const kinds = [...new Set(held.map((x) => x.kind))].filter((k) => k !== 'original').sort();
  out.push('', `Per kind at the default (${DEFAULT_THRESHOLD}): share of edits grouped with their photo:`, `| kind | grouped | of |`, '| --- | --- | --- |');
  for (const k of kinds) {
    const xs = held.map((x, i) => [x, i] as const).filter(([x]) => x.kind === k);
    const ok = xs.filter(([x, i]) => inGroup.has(i) && inGroup.get(i) === inGroup.get(original.get(x.scene) ?? -1)).length;
    out.push(`| ${k} | ${ok} | ${xs.length} |`);
  }

  out.push('', `Near-identical claims (pre-selected pairs) at the default, held-out: cosine bar alone vs with the pixel check (≥ ${SAME_PIXELS}, the default):`, '| near bar | claims | wrong | precision | claims w/ pixel check | wrong | precision |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const near of [0.9, 0.92, 0.93, 0.95, 0.97]) {
    const a = claims(held, heldLayouts, g, { near, pixels: -2 });
    const b = claims(held, heldLayouts, g, { near, pixels: SAME_PIXELS });
    const wrong = (c: Array<[number, number]>) => c.filter(([x, y]) => held[x]!.scene !== held[y]!.scene).length;
    out.push(`| ${near.toFixed(2)}${near === NEAR_IDENTICAL ? ' (default)' : ''} | ${a.length} | ${wrong(a)} | ${f3(a.length ? 1 - wrong(a) / a.length : 1)} | ${b.length} | ${wrong(b)} | ${f3(b.length ? 1 - wrong(b) / b.length : 1)} |`);
  }

  if (opts.findimagedupes !== false && have('findimagedupes')) {
    log('findimagedupes over the held-out half…');
    const db = path.join(calibrationDir(seed), 'findimagedupes.db');
    const index = new Map(held.map((x, i) => [x.file, i]));
    let best = { t: 0, s: score(held, []) };
    const rows: string[] = [];
    for (const t of [70, 75, 80, 85, 90, 95, 98]) {
      const s = score(held, findimagedupes(held.map((x) => x.file), t, db).map((grp) => grp.map((f) => index.get(f)!).filter((i) => i !== undefined)));
      rows.push(`| findimagedupes -t ${t}% | ${f3(s.precision)} | ${f3(s.recall)} | ${f3(s.f1)} |`);
      if (s.f1 > best.s.f1) best = { t, s };
    }
    out.push('', 'findimagedupes on the same held-out images:', '| tool | precision | recall | F1 |', '| --- | --- | --- | --- |', ...rows, `Its best: -t ${best.t}% (F1 ${f3(best.s.f1)}, precision ${f3(best.s.precision)}, recall ${f3(best.s.recall)}).`);
  } else out.push('', 'findimagedupes: not installed (`.ci/setup bench` installs it).');
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const seedArg = process.argv.indexOf('--seed');
  const lines = await calibrationReport({ seed: seedArg > 0 ? Number(process.argv[seedArg + 1]) : 17, findimagedupes: !process.argv.includes('--no-findimagedupes'), log: (s) => process.stderr.write(`${s}\n`) });
  process.stdout.write(`${lines.join('\n')}\n`);
  fs.writeSync(1, '');
}
