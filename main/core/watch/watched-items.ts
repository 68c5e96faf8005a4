import path from 'node:path';
import { groupItemParts, isRawName, isXmpName } from '../import/item-grouping.js';
import { pairLivePhotos, type LiveCandidate } from './live-photos.js';

/** A video that may be the moving half of a live photo (the extensions phones write). */
const LIVE_VIDEO = /\.(mov|mp4|m4v)$/i;

/** True for a file that may belong to another file's item: a live photo's video, a RAW, an XMP sidecar. */
export function mayBePart(p: string): boolean {
  const name = path.basename(p);
  return LIVE_VIDEO.test(name) || isRawName(name) || isXmpName(name);
}

/**
 * The files of one folder that may make one item share this key: the folder and the name up to
 * its first dot, lower-cased (`IMG_1.JPG`, `IMG_1.CR2`, `IMG_1.CR2.xmp`, `img_1.mov`). Wider
 * than any pairing rule, so it never separates two files that pair.
 */
export function itemKey(p: string): string {
  const name = path.basename(p);
  const dot = name.indexOf('.');
  return path.join(path.dirname(p), (dot > 0 ? name.slice(0, dot) : name).toLowerCase());
}

/** What a watched file is to the item it belongs to. */
export type WatchedRole = { kind: 'live'; image: string } | { kind: 'part'; of: string; role: 'raw' | 'xmp' };

/**
 * [Note: Items in a watched folder]
 * The same grouping as an upload ([Note: RAW+JPEG pairs and XMP sidecars], live photos, DESIGN
 * §2 and §12), over the files of a batch and the files beside them on disk: path → what the
 * file is to another file's item. A file that is no one's part is absent (it is a main file).
 * A RAW that is a JPEG's part is no candidate for a live image: `IMG_1.DNG`, `IMG_1.JPG` and
 * `IMG_1.MOV` are one item with both parts.
 */
export function groupWatched(files: readonly LiveCandidate[]): Map<string, WatchedRole> {
  const posix = (p: string) => p.split(path.sep).join('/');
  const native = new Map(files.map((f) => [posix(f.path), f.path]));
  const grouping = groupItemParts(files.map((f) => ({ path: posix(f.path), mtimeMs: f.mtimeMs })));
  const roles = new Map<string, WatchedRole>();
  for (const [p, part] of grouping.parts) roles.set(native.get(p)!, { kind: 'part', of: native.get(part.of)!, role: part.role });
  for (const [video, image] of pairLivePhotos(files.filter((f) => !isXmpName(f.path) && !roles.has(f.path)))) {
    roles.set(video, { kind: 'live', image });
  }
  return roles;
}
