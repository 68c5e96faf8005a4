// Grouping time for a large library (issue #17): `engine.similar.groups()` end to end (the
// worker reads every embedding from the catalog, finds neighbours, builds complete-linkage
// groups; the main thread picks each group's best shot) on synthetic embeddings shaped like the
// model's: non-negative (ReLU) 1792-d vectors of low intrinsic dimension whose unrelated pairs
// have the cosine of unrelated real photos (median ~0.45; calibration set: 0.45), families of
// like scenes (same place or subject, different photo: cosine 0.57–0.80 for 90% of pairs; the
// calibration set's like subjects: 0.35–0.71) and planted copies (bursts and edits: 0.84–0.95
// to their photo, median 0.90 as the calibration set's). Run at two sizes so the scaling shows (not quadratic).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../main/core/engine.js';
import { DEFAULT_THRESHOLD } from '../../main/core/similar/similar-service.js';
import { toF16 } from '../../main/core/similar/f16.js';
import type { BenchRow } from './measure.js';

const D = 1792;
const L = 32;
/** Tuned so the cosines above match (measured on 300 pairs of each kind). */
const BIAS = 0.4;
const FAMILY = 0.7;
const COPY_NOISE = 0.7;

/** A synthetic library: its vectors (row order) and which rows are planted copies of which. */
interface Synthetic {
  rows: Float32Array[];
  copies: Array<[origin: number, copy: number]>;
  family: Int32Array;
}

/** Makes about `n` embeddings with the structure described above (seeded). */
function synthesize(n: number, seed: number): Synthetic {
  let x = seed | 1;
  const uni = () => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return ((x >>> 0) + 0.5) / 4294967296;
  };
  const gauss = () => Math.sqrt(-2 * Math.log(uni())) * Math.cos(2 * Math.PI * uni());
  const W = Float32Array.from({ length: D * L }, gauss);
  const b = BIAS * Math.sqrt(L);
  const embed = (z: Float32Array) => {
    const v = new Float32Array(D);
    let norm = 0;
    for (let d = 0; d < D; d++) {
      let s = b;
      for (let l = 0; l < L; l++) s += W[d * L + l]! * z[l]!;
      s = s > 0 ? s : 0;
      v[d] = s;
      norm += s * s;
    }
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < D; d++) v[d]! /= norm;
    return v;
  };
  const latent = () => Float32Array.from({ length: L }, gauss);
  const rows: Float32Array[] = [];
  const copies: Array<[number, number]> = [];
  const family: number[] = [];
  let fam = 0;
  while (rows.length < n) {
    // 60% of photos are in a family of like scenes (2–40), the rest stand alone
    const size = uni() < 0.4 ? 1 : 2 + Math.floor(uni() ** 2 * 39);
    const centre = latent();
    for (let k = 0; k < size && rows.length < n; k++) {
      const own = latent();
      const z = size === 1 ? own : centre.map((c, l) => FAMILY * c + Math.sqrt(1 - FAMILY * FAMILY) * own[l]!);
      const origin = rows.length;
      rows.push(embed(z));
      family.push(fam);
      // a quarter of photos have 1–6 copies (a burst, an edit, a resized export)
      if (uni() < 0.25) {
        const m = 1 + Math.floor(uni() * 6);
        for (let c = 0; c < m && rows.length < n; c++) {
          copies.push([origin, rows.length]);
          rows.push(embed(z.map((v) => v + COPY_NOISE * gauss() * (0.3 + uni()))));
          family.push(fam);
        }
      }
    }
    fam++;
  }
  return { rows, copies, family: Int32Array.from(family) };
}

/** Writes the vectors into a new library's catalog as live images embedded by the bundled model. */
function writeLibrary(dir: string, s: Synthetic): Engine {
  fs.rmSync(dir, { recursive: true, force: true });
  const engine = Engine.open({ libraryDir: dir });
  const modelId = engine.similar.modelId();
  const db = new Database(path.join(engine.paths.root, 'catalog.sqlite'));
  try {
    const blob = db.prepare(`INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, 'sha256', 1000, 0)`);
    // dated (as `run`'s back-fill leaves them): the rows time the grouping, not the dating of never-read files
    const file = db.prepare(`INSERT INTO files (id, name, blob_hash, size, media_type, created_at, taken_at, date_source) VALUES (?, ?, ?, 1000, 'image/jpeg', 0, 0, 'added')`);
    const emb = db.prepare(`INSERT INTO embeddings (blob_hash, model_id, dim, vector, created_at) VALUES (?, ?, ?, ?, 0)`);
    db.transaction(() => {
      s.rows.forEach((v, i) => {
        const hash = i.toString(16).padStart(64, '0');
        blob.run(hash);
        file.run(i + 1, `IMG_${i}.jpg`, hash);
        const h = toF16(v);
        emb.run(hash, modelId, D, Buffer.from(h.buffer, h.byteOffset, h.byteLength));
      });
    })();
  } finally {
    db.close();
  }
  return engine;
}

/** Rows: grouping time at 25,000 and 100,000 images, with what the groups hold. */
export async function groupingBench(work: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const group = `similar images: grouping a library (synthetic embeddings, default threshold ${DEFAULT_THRESHOLD})`;
  for (const n of [25_000, 100_000]) {
    const s = synthesize(n, 17);
    const engine = writeLibrary(path.join(work, `library-grouping-${n}`), s);
    try {
      const started = performance.now();
      const cpu0 = process.cpuUsage(); // this process's threads, the grouping worker's included
      const groups = await engine.similar.groups();
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const groupOf = new Map<number, number>();
      groups.forEach((g, gi) => g.images.forEach((im) => groupOf.set(im.fileId - 1, gi)));
      const together = ([o, c]: [number, number]) => groupOf.has(c) && groupOf.get(c) === groupOf.get(o);
      const found = s.copies.filter(together).length;
      // copies the threshold admits (exact cosine to their photo ≥ threshold): the search's share of the misses
      const cos = (a: Float32Array, b: Float32Array) => a.reduce((t, v, d) => t + v * b[d]!, 0);
      const over = s.copies.filter(([o, c]) => cos(s.rows[o]!, s.rows[c]!) >= DEFAULT_THRESHOLD);
      const overFound = over.filter(together).length;
      // a pair in one group that is not a photo and its copy (or two copies of one photo) is wrong
      const scene = new Int32Array(s.rows.length).map((_, i) => i);
      for (const [o, c] of s.copies) scene[c] = o;
      let pairs = 0;
      let wrong = 0;
      let likeScene = 0;
      for (const g of groups) {
        const ids = g.images.map((im) => im.fileId - 1);
        for (let a = 0; a < ids.length; a++) for (let b = a + 1; b < ids.length; b++) {
          pairs++;
          if (scene[ids[a]!] !== scene[ids[b]!]) {
            wrong++;
            if (s.family[ids[a]!] === s.family[ids[b]!]) likeScene++;
          }
        }
      }
      rows.push({
        group, tool: `shoebox similar (${n.toLocaleString('en')} images)`, value: `${seconds.toFixed(1)} s`, ratio: `CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`,
        note: `${groups.length} groups, largest ${Math.max(0, ...groups.map((g) => g.images.length))}; ${((100 * found) / s.copies.length).toFixed(1)}% of ${s.copies.length} planted copies grouped with their photo (${((100 * overFound) / over.length).toFixed(1)}% of the ${over.length} at or over the threshold to it; the rest are split by the clique rule from other copies); pairwise precision ${(pairs ? 1 - wrong / pairs : 1).toFixed(3)} (${wrong} of ${pairs} pairs wrong, ${likeScene} of them like scenes)`,
      });
    } finally {
      await engine.close();
    }
  }
  return rows;
}
