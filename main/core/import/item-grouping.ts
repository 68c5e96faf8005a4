import path from 'node:path';

/** A file that may belong to another's item: its path ('/'-separated, relative to what was given) and modification time. */
export interface GroupCandidate {
  path: string;
  mtimeMs: number;
}

/** Which files are parts of another file's item, and XMP sidecars that found no photo. */
export interface ItemGrouping {
  /** Part path → the main file's path and the part's role. */
  parts: Map<string, { of: string; role: 'raw' | 'xmp' }>;
  /** XMP sidecars whose photo is not there, or that two items could equally claim (`IMG_1.xmp` beside `IMG_1.jpg` and `IMG_1.png`). */
  unmatchedXmp: string[];
}

/** How far apart a RAW and its JPEG may have been written: a camera writes both of one shot within seconds (a full buffer can stretch that). */
export const RAW_PAIR_WINDOW_MS = 60_000;

const RAW_EXTENSIONS = new Set(['.dng', '.cr2', '.cr3', '.crw', '.nef', '.nrw', '.arw', '.srf', '.sr2', '.orf', '.rw2', '.raf', '.srw', '.pef', '.rwl', '.3fr', '.iiq', '.erf', '.mrw', '.x3f', '.kdc', '.dcr', '.mos']);
const SHOWN_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.heic', '.heif', '.hif']);
const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.avi', '.mkv', '.webm', '.3gp', '.mts', '.m2ts', '.mpg', '.mpeg', '.wmv']);
const MEDIA_EXTENSIONS = new Set([...RAW_EXTENSIONS, ...SHOWN_EXTENSIONS, '.png', '.gif', '.webp', '.avif', '.tif', '.tiff', '.jxl', '.bmp', ...VIDEO_EXTENSIONS]);

/** True for a camera RAW file name. */
export function isRawName(name: string): boolean {
  return RAW_EXTENSIONS.has(path.posix.extname(name).toLowerCase());
}

/** True for an XMP sidecar name. */
export function isXmpName(name: string): boolean {
  return path.posix.extname(name).toLowerCase() === '.xmp';
}

const stemKey = (p: string) => {
  const ext = path.posix.extname(p);
  return `${path.posix.dirname(p)}/${path.posix.basename(p, ext).toLowerCase()}`;
};

/**
 * [Note: RAW+JPEG pairs and XMP sidecars]
 * DESIGN §12: a RAW and a JPEG/HEIC with the same stem in one folder (case-insensitive), written
 * within RAW_PAIR_WINDOW_MS of each other, are one library item: the JPEG/HEIC is its main file
 * (the tile, previews, dedup and similar images), the RAW a part stored, exported and restored
 * with it — the shape of a live photo. A stem with several RAWs or several JPEG/HEICs is left
 * alone (each file its own item). An XMP sidecar belongs to the item of the file it names:
 * `IMG_1.CR2.xmp` to IMG_1.CR2's item, `IMG_1.xmp` to the one item with stem IMG_1 (a RAW+JPEG
 * pair counts once, and so does a photo with one video of its stem, a live photo's two halves); beside two items, or none, it is reported, never guessed. Pure: paths and
 * times in, parts out.
 */
export function groupItemParts(files: readonly GroupCandidate[]): ItemGrouping {
  const byStem = new Map<string, GroupCandidate[]>();
  const byName = new Map<string, GroupCandidate>();
  const xmps: GroupCandidate[] = [];
  for (const f of files) {
    const ext = path.posix.extname(f.path).toLowerCase();
    if (ext === '.xmp') xmps.push(f);
    else if (MEDIA_EXTENSIONS.has(ext)) {
      (byStem.get(stemKey(f.path)) ?? byStem.set(stemKey(f.path), []).get(stemKey(f.path))!).push(f);
      byName.set(f.path.toLowerCase(), f);
    }
  }
  const parts: ItemGrouping['parts'] = new Map();
  for (const group of byStem.values()) {
    const raws = group.filter((f) => isRawName(f.path));
    const shown = group.filter((f) => SHOWN_EXTENSIONS.has(path.posix.extname(f.path).toLowerCase()));
    if (raws.length === 1 && shown.length === 1 && Math.abs(raws[0]!.mtimeMs - shown[0]!.mtimeMs) <= RAW_PAIR_WINDOW_MS) {
      parts.set(raws[0]!.path, { of: shown[0]!.path, role: 'raw' });
    }
  }
  const mainOf = (p: string) => parts.get(p)?.of ?? p;
  const unmatchedXmp: string[] = [];
  for (const x of xmps) {
    const named = byName.get(x.path.slice(0, -4).toLowerCase()); // IMG_1.CR2.xmp → IMG_1.CR2
    let items = named ? [mainOf(named.path)] : [...new Set((byStem.get(stemKey(x.path)) ?? []).map((f) => mainOf(f.path)))];
    // IMG_1.HEIC and IMG_1.MOV: one live photo, whose sidecar is the image's
    const videos = items.filter((p) => VIDEO_EXTENSIONS.has(path.posix.extname(p).toLowerCase()));
    if (items.length === 2 && videos.length === 1) items = items.filter((p) => p !== videos[0]);
    if (items.length === 1) parts.set(x.path, { of: items[0]!, role: 'xmp' });
    else unmatchedXmp.push(x.path);
  }
  return { parts, unmatchedXmp };
}
