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
 * 0.93, none wrong; 1 wrong at 0.90). Looser groups are listed for review, unselected.
 * A structural second opinion (NCC of 16×16 grey thumbnails ≥ 0.9) was measured and dropped:
 * at the same number of claims it was no more precise than a higher cosine bar (694 claims,
 * 0 wrong, either way).
 */
export const NEAR_IDENTICAL = 0.93;
/** Sharpness below this share of the group's sharpest image counts as blurred. */
const BLURRED = 0.7;
/** Clipping this much above the group's best-exposed image counts as badly exposed. */
const CLIPPED = 0.05;
/**
 * The best shot (DESIGN §5): blurred images (sharpness, the variance of the Laplacian, under
 * 70% of the group's sharpest) are ruled out, then badly exposed ones (5 points more of the
 * picture clipped to black or white than the best), then the most pixels wins, then the larger
 * file, then the lowest id. The reason names the first rule that decided over the runner-up.
 */
export function chooseBestShot(images) {
    if (images.length === 0)
        throw new Error('chooseBestShot needs at least one image');
    const px = (c) => (c.width ?? 0) * (c.height ?? 0);
    const clip = (c) => (c.features ? c.features.clippedDark + c.features.clippedBright : 0);
    const sharpest = Math.max(...images.map((c) => c.features?.sharpness ?? 0));
    const sharpEnough = images.filter((c) => !c.features || sharpest === 0 || c.features.sharpness >= BLURRED * sharpest);
    const bestClip = Math.min(...sharpEnough.map(clip));
    const exposed = sharpEnough.filter((c) => clip(c) <= bestClip + CLIPPED);
    const ranked = [...exposed].sort((a, b) => px(b) - px(a) || b.size - a.size || a.fileId - b.fileId);
    const best = ranked[0];
    // the reason: what set it apart from the image that would otherwise have won
    const byPixels = [...images].sort((a, b) => px(b) - px(a) || b.size - a.size || a.fileId - b.fileId);
    const naive = byPixels[0];
    let reason;
    if (naive.fileId !== best.fileId && !sharpEnough.includes(naive))
        reason = 'sharper';
    else if (naive.fileId !== best.fileId)
        reason = 'better exposed';
    else {
        const second = byPixels[1];
        reason = !second ? 'first' : px(best) > px(second) ? 'larger' : best.size > second.size ? 'larger file' : 'first';
    }
    return { fileId: best.fileId, reason };
}
/** True when a member is near-identical to the kept image (see NEAR_IDENTICAL). */
export function nearIdentical(cosine, near = NEAR_IDENTICAL) {
    return cosine >= near;
}
/** A group is pre-selected only when every member but the kept one is near-identical to it. */
export function preselect(cosinesToKept, near = NEAR_IDENTICAL) {
    return cosinesToKept.every((c) => nearIdentical(c, near));
}
//# sourceMappingURL=decide-similar.js.map