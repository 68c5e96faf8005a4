// Issue #17 on the real calibration set (a held-out subset: windmills, solar panels, fish,
// tools, monuments, planets, textures — like scenes — with their edits). Embeddings are
// computed once for the file with the engine's own decode and model.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import { groupImages } from '../../../test/bench/similar-calibrate.js';
import { cosine, embedCalibration, layoutsOf, type EmbeddedImage } from '../../../test/support/calibration-embeddings.js';
import { calibrationDir, calibrationSet, POSITIVE_KINDS, splitOf } from '../../../test/support/calibration-set.js';
import { tempDir } from '../../../test/support/fixtures.js';
import { DEFAULT_THRESHOLD, SAME_PIXELS, chooseBestShot, preselect } from './decide-similar.js';
import { pixelSimilarity } from './image-features.js';
import { decodeForModel } from './embed.js';
import { groupSimilar, packVectors } from './group-similar.js';
import { DEFAULT_MODEL } from './model-path.js';

const LIKE_SCENES = new Set(['renewable', 'fishes', 'tools', 'monuments', 'planets', 'textures']);
let images: EmbeddedImage[] = [];
let missing: string | false = false;
try {
  // sources only: the edits are made in before()
  await calibrationSet({ which: () => false });
} catch (err) {
  missing = (err as Error).message;
}

describe('Similar images on the calibration set (held-out subset)', { skip: missing }, () => {
  before(async () => {
    const { images: set } = await calibrationSet({ which: (s) => LIKE_SCENES.has(s.subject) && splitOf(17, s.scene) === 'held-out' && (s.subject !== 'monuments' || s.id.includes('explore_monuments')) });
    images = await embedCalibration(DEFAULT_MODEL, set, calibrationDir(17));
  });

  it('like-scene negatives are never grouped at the default threshold', async () => {
    const groups = await groupImages(images, DEFAULT_THRESHOLD);
    const wrong = groups.flatMap((g) => g.flatMap((a) => g.filter((b) => images[a]!.scene !== images[b]!.scene).map((b) => `${images[a]!.source} + ${images[b]!.source}`)));
    assert.ok(images.filter((i) => i.kind === 'original').length >= 40, 'enough like-scene photos to mean something');
    assert.deepEqual(wrong, []);
  });

  it('each kind of copy people make is grouped with its photo at the default threshold', async () => {
    const groups = await groupImages(images, DEFAULT_THRESHOLD);
    const groupOf = new Map<number, number>();
    groups.forEach((g, gi) => g.forEach((i) => groupOf.set(i, gi)));
    const original = new Map(images.map((x, i) => [x, i] as const).filter(([x]) => x.kind === 'original').map(([x, i]) => [x.scene, i]));
    for (const kind of POSITIVE_KINDS) {
      const xs = images.map((x, i) => [x, i] as const).filter(([x]) => x.kind === kind);
      const grouped = xs.filter(([x, i]) => groupOf.has(i) && groupOf.get(i) === groupOf.get(original.get(x.scene)!)).length;
      assert.ok(grouped >= 1, `${kind}: ${grouped} of ${xs.length} grouped`);
    }
  });

  it('groups are cliques: every pair in every group is over the threshold (no chains, no giant groups)', async () => {
    for (const t of [0.8, DEFAULT_THRESHOLD]) {
      for (const g of await groupImages(images, t)) {
        for (const a of g) for (const b of g) if (a < b) assert.ok(cosine(images[a]!.vector, images[b]!.vector) >= t - 1e-6, `pair under ${t} in a group of ${g.length}`);
      }
    }
  });
});

describe('Similar grouping rules', () => {
  it('a chain A≈B≈C≈… and a star (one image near seven different ones) never become one group', async () => {
    // unit vectors in 3 dims, embedded in 64: consecutive chain members at cosine 0.9, ends far apart
    const dim = 64;
    const rows: Float32Array[] = [];
    const at = (angle: number, axis = 0) => {
      const v = new Float32Array(dim);
      v[axis] = Math.cos(angle);
      v[axis + 1] = Math.sin(angle);
      return v;
    };
    for (let k = 0; k < 8; k++) rows.push(at(k * Math.acos(0.9)));
    // a star: a centre and seven images each at 0.85 to it, but different from each other
    const centre = new Float32Array(dim);
    centre[10] = 1;
    rows.push(centre);
    for (let k = 0; k < 7; k++) {
      const v = new Float32Array(dim);
      v[10] = 0.85;
      v[20 + k] = Math.sqrt(1 - 0.85 * 0.85);
      rows.push(v);
    }
    const groups = await groupSimilar(packVectors(rows), { threshold: 0.84 });
    for (const g of groups) {
      assert.ok(g.length <= 2, `group of ${g.length}: ${g.join(',')}`);
      for (const a of g) for (const b of g) if (a < b) assert.ok(cosine(rows[a]!, rows[b]!) >= 0.84);
    }
  });

  it('only a group whose every member is near-identical to the kept image, by the model and by its pixels, is pre-selected', () => {
    assert.equal(preselect([{ cosine: 0.99, pixels: 0.99 }, { cosine: 0.95, pixels: 0.95 }]), true);
    assert.equal(preselect([{ cosine: 0.99, pixels: 0.99 }, { cosine: 0.9, pixels: 0.99 }]), false, 'not close enough by the model');
    assert.equal(preselect([{ cosine: 0.99, pixels: 0.99 }, { cosine: 0.97, pixels: 0.6 }]), false, 'a different picture of the same kind of thing');
    assert.equal(preselect([{ cosine: 0.99, pixels: null }]), false, 'not decodable: not checked, not pre-selected');
  });

  it('resizes, recompressions and format changes of a photo pass the pixel check', async () => {
    const kinds = new Set(['resize', 'recompress', 'format']);
    const pairs = images.map((x, i) => [x, i] as const).filter(([x]) => kinds.has(x.kind)).map(([x, i]) => [images.findIndex((o) => o.kind === 'original' && o.scene === x.scene), i] as const).filter(([o]) => o >= 0);
    assert.ok(pairs.length >= 5, `enough pairs: ${pairs.length}`);
    const layouts = await layoutsOf(images);
    const passed = pairs.filter(([o, i]) => pixelSimilarity(layouts[o]!, layouts[i]!) >= SAME_PIXELS);
    assert.ok(passed.length >= 0.9 * pairs.length, `${passed.length} of ${pairs.length}`);
  });

  it('best shot: the sharp photo is kept over a blurred copy, even a larger one, and says why', async () => {
    const dir = tempDir();
    const src = (await calibrationSet({ which: (s) => s.id === 'python3-skimage:chelsea.png' }).catch(() => null))?.images[0]?.file;
    const base = src ? sharp(src) : sharp({ create: { width: 451, height: 300, channels: 3, background: '#777' } }).composite([{ input: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="451" height="300"><path d="M0 0L451 300M0 300L451 0" stroke="#000" stroke-width="3"/><rect x="100" y="60" width="200" height="150" fill="none" stroke="#fff" stroke-width="2"/></svg>') }]);
    const buf = await base.png().toBuffer();
    const meta = await sharp(buf).metadata();
    await sharp(buf).toFile(`${dir}/sharp.png`);
    await sharp(buf).resize(meta.width * 2).blur(4).toFile(`${dir}/blurred-bigger.png`);
    const s = await decodeForModel(`${dir}/sharp.png`, 'image/png');
    const b = await decodeForModel(`${dir}/blurred-bigger.png`, 'image/png');
    assert.ok(s.features.sharpness > b.features.sharpness * 2, `sharpness ${s.features.sharpness} vs blurred ${b.features.sharpness}`);
    const best = chooseBestShot([
      { fileId: 1, width: b.width, height: b.height, size: 2_000_000, features: b.features },
      { fileId: 2, width: s.width, height: s.height, size: 500_000, features: s.features },
    ]);
    assert.deepEqual(best, { fileId: 2, reason: 'sharper' });
    // without a blurred one, the larger wins and says so
    assert.deepEqual(chooseBestShot([{ fileId: 3, width: 100, height: 100, size: 1, features: s.features }, { fileId: 4, width: 200, height: 200, size: 1, features: s.features }]), { fileId: 4, reason: 'larger' });
  });
});
