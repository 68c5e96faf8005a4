// [Note: Viewer scale]
// The viewer's percentage is the real scale: CSS pixels on screen per pixel of the photo (the
// original's size, not the display copy's, which is capped at DISPLAY_SIZE). It was the zoom
// relative to the fitted size, so a 240×320 photo stretched to an 861-px-tall window read
// "100%" at 2.7× its size. Fit shrinks a photo larger than the stage to fit it and shows a
// smaller one at 100%, never enlarged (as image viewers do: enlarging a small photo only shows
// its pixels blurred, and the person can still zoom in). 100% is one photo pixel per CSS pixel,
// as a browser shows an image on its own (on a 2× screen that is two device pixels).

/** Width and height in pixels. */
export interface Size {
  width: number;
  height: number;
}

/** How far the viewer zooms in: 800%. */
export const MAX_SCALE = 8;

/** The scale at which the photo fits the stage, never above 1 (fit shrinks, never enlarges). */
export function fitScale(photo: Size, stage: Size): number {
  if (photo.width <= 0 || photo.height <= 0 || stage.width <= 0 || stage.height <= 0) return 1;
  return Math.min(1, stage.width / photo.width, stage.height / photo.height);
}

/**
 * The scale after one zoom step by `factor` (above 1 zooms in), from `scale`: kept between fit and
 * MAX_SCALE, and stopping at 100% when a step passes it, so + and − reach the photo's real size.
 */
export function zoomStep(scale: number, factor: number, fit: number): number {
  const next = scale * factor;
  const crosses = (scale < 1 && next > 1) || (scale > 1 && next < 1);
  const stepped = crosses ? 1 : next;
  return Math.min(MAX_SCALE, Math.max(fit, stepped));
}

/**
 * The photo's size in pixels: the catalog's dimensions (the original's, orientation applied) when
 * known, turned to the loaded image's orientation should they disagree; else the loaded image's
 * (null before it loads).
 */
export function photoSize(file: { width: number | null; height: number | null }, loaded: Size | null): Size | null {
  const shown = loaded && loaded.width > 0 && loaded.height > 0 ? loaded : null;
  if (!file.width || !file.height) return shown;
  const turned = shown !== null && shown.width !== shown.height && shown.width > shown.height !== file.width > file.height;
  return turned ? { width: file.height, height: file.width } : { width: file.width, height: file.height };
}

/** The label for a scale: "43%", "100%", "150%". */
export function scaleLabel(scale: number): string {
  return `${Math.round(scale * 100)}%`;
}
