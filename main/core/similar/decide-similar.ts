// Pure decisions of Similar images (DESIGN §5, issue #17): the default threshold, when a group
// is near-identical enough to be pre-selected, and which image is kept by default. The numbers
// come from the calibration set (test/bench/similar-calibrate.ts prints the sweep behind them).
import type { ImageFeatures } from './image-features.js';

/**
 * The default threshold (cosine). [Note: Similar thresholds]
 * From the calibration set (309 real photos from four Debian packages, 909 edits of seven
 * kinds, like-scene negatives: windmills, fish, monuments, tools, animals, planets; split by
 * scene): the tuning half first reaches pairwise precision 0.99 at 0.84; the default sits at
 * 0.88 (tuning precision 0.998), a margin for libraries with more like scenes than the set —
 * the corpus had precision 0.85 at 0.80 where ours has 0.97. Held-out at 0.88:
 * precision 1.000, recall 0.544. The sweep: `node build/test/bench/similar-calibrate.js`,
 * table in README.
 */
export const DEFAULT_THRESHOLD = 0.88;

/**
 * The near-identical bar: a group is pre-selected for Trash only when every other member is at
 * least this close to the kept image (over every pair of the calibration set: 694 claims at
 * 0.93, none wrong; 1 wrong at 0.90) and passes the pixel check (SAME_PIXELS). Looser groups
 * are listed for review, unselected.
 */
export const NEAR_IDENTICAL = 0.93;

/**
 * [Note: Near-identical is checked on pixels]
 * The model's cosine says two images show the same kind of thing, not that they are the same
 * picture: photos of six different pages of a document scored 0.94–0.98 to each other, and so
 * did six different noisy colour-band images, and both were pre-selected for Trash by the
 * cosine bar alone (a new user's walk-through, issue #17's rule that a different photo is
 * never proposed for deletion at the default). So a member is near-identical only when its
 * 64×64 RGB thumbnail also matches the kept image's, pixel for pixel: the lowest of the three
 * channels' normalized cross-correlations is at least SAME_PIXELS. Resizes, recompressions and
 * format changes score 0.93–1.00 (median 0.99); those pages scored at most 0.60, forms of
 * one layout with different words 0.79, the colour-band images 0.44. On the calibration set the
 * check keeps 512 of the 694 near-identical claims over every pair (none wrong either way);
 * the 182 it drops are crops, straightening rotations and some colour edits, which stay in
 * their groups for review. The thumbnails are made when the groups are (decodeLayout, the
 * model's decode), only for groups the cosine bar would pre-select.
 */
export const SAME_PIXELS = 0.9;

/** How a member compares with the kept image: the model's cosine, and the pixel check's score (null: not measured, or not decodable). */
export interface ToKept {
  cosine: number;
  pixels: number | null;
}

/** What the decisions read about one image. */
export interface Candidate {
  fileId: number;
  width: number | null;
  height: number | null;
  size: number;
  features: ImageFeatures | null;
  /**
   * What of the camera's metadata the file's own bytes carry: 1 for a capture date (EXIF or
   * QuickTime, also where a sidecar's date outranks it), 1 for a camera model; 0 when neither
   * (a re-save, an export, a screenshot). Unknown counts as 0.
   */
  cameraMetadata?: number;
  /** Its stored bytes are known to be damaged or missing: kept only when every image's are. */
  bytesBad?: boolean;
  /** The modification time of the file it was backed up from (ms), where known. */
  modifiedAt?: number | null;
  /** The shot its bytes say it is (capture time and camera from its own EXIF/QuickTime), or null when they carry no capture time. */
  shot?: string | null;
}

/** What an image's own bytes say of the camera, and whether they are known damaged. */
export interface CameraMeta {
  cameraMetadata: number;
  camera: string | null;
  /** The capture date its bytes carry (EXIF, QuickTime), or null. */
  takenInBytes: number | null;
  bytesBad: boolean;
}

/**
 * Whether an image may go to Trash by default beside the kept one: only when its own bytes carry
 * no camera metadata (a re-save, a resize or a conversion that dropped it). One that carries any
 * is a camera file, or an edit or conversion made from one that kept its EXIF (most editors
 * do): which of them is the original, and whether an edit (a caption, a colour change) is a
 * picture the person wants, cannot be told from the bytes, and a camera model or date the kept
 * one lacks or contradicts may be another shot (a burst) or the kept one a copy that changed
 * them. Such groups are offered for review instead of pre-selected (walk-throughs: an upscaled
 * copy with an iPhone's EXIF kept over the Canon original as "larger"; a GIMP re-save, a
 * brightened and a captioned copy that kept the original's EXIF, and a HEIC conversion with it
 * copied in, each kept as "larger file" while the original went to Trash).
 */
export function mayGoByDefault(other: CameraMeta): boolean {
  return other.cameraMetadata === 0 && other.camera === null && other.takenInBytes === null;
}

/** Why an image is the default keep, shown to the user. */
export type KeepReason = 'intact stored bytes' | 'has camera metadata' | 'sharper' | 'better exposed' | 'larger' | 'older file' | 'larger file' | 'first';

/** Sharpness below this share of the group's sharpest image counts as blurred. */
const BLURRED = 0.7;
/** Clipping this much above the group's best-exposed image counts as badly exposed. */
const CLIPPED = 0.05;

/**
 * The best shot (DESIGN §5). [Note: The camera original is kept]
 * First, the images carrying the most of the camera's metadata (capture date, camera model)
 * are preferred: of the same picture, the one without is a re-save, an export or an edit made
 * from the other, and keeping it would trash the original with its date and camera (a new
 * user's walk-through: a copy re-saved at a higher quality was kept as "larger file", a
 * sharpened copy and one with noise added as "sharper" — the variance of the Laplacian
 * rewards sharpening halos and noise — and the camera original went to Trash). Among those,
 * blurred images (sharpness, the variance of the Laplacian, under 70% of the sharpest) are
 * ruled out, then badly exposed ones (5 points more of the picture clipped to black or white
 * than the best), then the most pixels wins, then — among images that carry the camera's
 * metadata — the older file, then the larger file, then the lowest id. The older file: copies
 * that kept the original's EXIF (a re-save, an edit, a conversion) were made from it later, and
 * a re-save at a higher quality is the larger file without being the better one (a walk-through
 * kept such a re-save as "larger file"). The reason names the first rule that decided over the
 * runner-up.
 */
export function chooseBestShot(all: Candidate[]): { fileId: number; reason: KeepReason } {
  if (all.length === 0) throw new Error('chooseBestShot needs at least one image');
  // Never keep bytes known to be damaged or missing over whole ones (the others would go to Trash).
  const intact = all.filter((c) => !c.bytesBad);
  if (intact.length === 0 || intact.length === all.length) return chooseAmong(all);
  const kept = chooseAmong(intact);
  return kept.fileId === chooseAmong(all).fileId ? kept : { fileId: kept.fileId, reason: 'intact stored bytes' };
}

/** chooseBestShot among images whose bytes are alike in health. */
function chooseAmong(images: Candidate[]): { fileId: number; reason: KeepReason } {
  const meta = (c: Candidate) => c.cameraMetadata ?? 0;
  const most = Math.max(...images.map(meta));
  const copies = laterCopies(images);
  const originals = images.filter((c) => meta(c) === most && !copies.has(c.fileId));
  const everyOne = originals.length === images.length;
  // the image the other rules would keep (by age too only where every image is an original)
  const all = bestOf(images, most > 0 && everyOne);
  if (everyOne) return all;
  const kept = bestOf(originals, most > 0);
  if (kept.fileId === all.fileId) return all;
  // what ruled out the image that would otherwise have been kept
  return { fileId: kept.fileId, reason: copies.has(all.fileId) ? 'older file' : 'has camera metadata' };
}

/**
 * How much later than the oldest file of a shot a file must be to count as a copy made from it:
 * the frames of a burst share a capture second (EXIF keeps no finer time here) but are written
 * within seconds of each other; a re-save or an edit is made later (a walk-through's burst of
 * three frames in one second had the first frame, a blurred one, kept as "older file").
 */
const COPY_GAP_MS = 60_000;

/**
 * Images whose bytes name the same shot (capture time and camera) as an older file in the
 * group: copies made from it that kept its EXIF — a re-save, a sharpened or an upscaled copy
 * (walk-throughs: both kept over the camera original, as "sharper" and "larger"). Nothing
 * made from a photo later holds more of the picture than the photo, so they are ruled out
 * before sharpness and size are compared. Files less than COPY_GAP_MS apart (a burst), or with
 * unknown times, are not told apart.
 */
function laterCopies(images: Candidate[]): Set<number> {
  const oldest = new Map<string, number>();
  for (const c of images) if (c.shot && c.modifiedAt != null) oldest.set(c.shot, Math.min(oldest.get(c.shot) ?? Infinity, c.modifiedAt));
  return new Set(images.filter((c) => c.shot && c.modifiedAt != null && c.modifiedAt >= oldest.get(c.shot)! + COPY_GAP_MS).map((c) => c.fileId));
}

/**
 * The best shot among images of the same provenance: sharp enough, then well exposed, then most
 * pixels, the older file (`olderFirst`: when the group's originals carry camera metadata),
 * the larger file, the lowest id.
 */
function bestOf(images: Candidate[], olderFirst: boolean): { fileId: number; reason: KeepReason } {
  const px = (c: Candidate) => (c.width ?? 0) * (c.height ?? 0);
  const age = (a: Candidate, b: Candidate) => (olderFirst && a.modifiedAt != null && b.modifiedAt != null ? a.modifiedAt - b.modifiedAt : 0);
  const order = (a: Candidate, b: Candidate) => px(b) - px(a) || age(a, b) || b.size - a.size || a.fileId - b.fileId;
  const clip = (c: Candidate) => (c.features ? c.features.clippedDark + c.features.clippedBright : 0);
  const sharpest = Math.max(...images.map((c) => c.features?.sharpness ?? 0));
  const sharpEnough = images.filter((c) => !c.features || sharpest === 0 || c.features.sharpness >= BLURRED * sharpest);
  const bestClip = Math.min(...sharpEnough.map(clip));
  const exposed = sharpEnough.filter((c) => clip(c) <= bestClip + CLIPPED);
  const best = [...exposed].sort(order)[0]!;
  // the reason: what set it apart from the image that would otherwise have won
  const byPixels = [...images].sort(order);
  const naive = byPixels[0]!;
  let reason: KeepReason;
  if (naive.fileId !== best.fileId && !sharpEnough.includes(naive)) reason = 'sharper';
  else if (naive.fileId !== best.fileId) reason = 'better exposed';
  else {
    const second = byPixels[1];
    reason = !second ? 'first' : px(best) > px(second) ? 'larger' : age(best, second) < 0 ? 'older file' : best.size > second.size ? 'larger file' : 'first';
  }
  return { fileId: best.fileId, reason };
}

/** True when the model's cosine alone could make a member near-identical (the pixel check then decides). */
export function nearIdenticalCosine(cosine: number, near = NEAR_IDENTICAL): boolean {
  return cosine >= near;
}

/** True when a member is near-identical to the kept image: close by the model and by its pixels ([Note: Near-identical is checked on pixels]). */
export function nearIdentical(m: ToKept, bars: { near: number; pixels: number } = { near: NEAR_IDENTICAL, pixels: SAME_PIXELS }): boolean {
  return nearIdenticalCosine(m.cosine, bars.near) && m.pixels !== null && m.pixels >= bars.pixels;
}

/** A group is pre-selected only when every member but the kept one is near-identical to it. */
export function preselect(toKept: ToKept[], bars?: { near: number; pixels: number }): boolean {
  return toKept.every((m) => nearIdentical(m, bars));
}
