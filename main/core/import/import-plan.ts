import path from 'node:path';
import type { FileMetadata } from '../catalog/metadata-catalog.js';
import type { PartRole } from '../catalog/item-parts.js';
import { groupItemParts, isXmpName } from './item-grouping.js';
import { pairLivePhotos } from '../watch/live-photos.js';
import { matchTakeoutSidecars } from './takeout-match.js';
import type { TakeoutJson } from './takeout-sidecar.js';
import type { XmpResult } from './xmp-sidecar.js';

/** One file of an upload request, as the plan sees it. */
export interface PlanFile {
  /** Unique within the request. */
  id: number;
  /** What the source record will say (`archive.zip!/entry` inside a ZIP). */
  sourcePath: string;
  /** Its path inside the export, '/'-separated: from the `Google Photos` folder on when there is one (the same in every ZIP of an export). */
  exportPath: string;
  name: string;
  mtimeMs: number;
  /** The album a plain upload would give it (album-mapping.ts). */
  albumName: string | null;
  /** True when its source maps folders to albums one by one (separate mode): Takeout's year folders then make none. */
  separate: boolean;
}

/** A sidecar's content, read before planning: Takeout JSON, XMP, or why it could not be read. */
export type ReadSidecar = { kind: 'json'; json: TakeoutJson } | { kind: 'xmp'; xmp: XmpResult } | { kind: 'unreadable'; message: string; code?: string };

/** What is said of an XMP sidecar kept with its photo whose metadata could not be read (an upload's note, a watch's activity). */
export function xmpNotRead(partName: string, mainName: string, r: ReadSidecar | undefined): string {
  return `${partName} ${r?.kind === 'xmp' && r.xmp.kind === 'invalid' ? r.xmp.message : r?.kind === 'unreadable' ? r.message : 'could not be read'}; kept with ${mainName}, its metadata not read`;
}

/** Something about the import a person should know: it names the file. Not a failure: the photos are backed up. */
export interface ImportNote {
  path: string;
  code: 'SIDECAR_UNMATCHED' | 'SIDECAR_INVALID' | 'NO_SIDECAR' | 'XMP_UNMATCHED' | 'XMP_INVALID';
  message: string;
}

/** What the plan found, for the upload summary. */
export interface ImportReport {
  /** Takeout JSON sidecars in the request. */
  sidecars: number;
  /** Photos and videos that got their sidecar's metadata (edited copies included). */
  matched: number;
  /** Photos and videos of a Takeout export without a usable sidecar. */
  withoutSidecar: number;
  /** Sidecars no file claimed, or that could not be read. */
  unmatchedSidecars: number;
  /** RAW+JPEG pairs made one item. */
  rawPairs: number;
  /** XMP sidecars kept with their photo. */
  xmpSidecars: number;
  /** Live photos: an image and a video of its stem kept as one item (as a watched folder does). */
  livePhotos: number;
  notes: ImportNote[];
}

/** One file for the pipeline. */
export interface PlannedFile {
  id: number;
  albumName: string | null;
  metadata: FileMetadata[];
  /** Set for a part: the main file of its item, and its role. */
  partOf?: { id: number; role: Exclude<PartRole, 'live'> };
  /** Set for the video of a live photo: its image. */
  livePartOf?: { id: number };
}

/** The plan: files for the pipeline (main files before parts), and files read into metadata instead of backed up. */
export interface ImportPlan {
  files: PlannedFile[];
  consumed: number[];
  report: ImportReport;
}

const GOOGLE_PHOTOS = /^Google (Photos|Fotos|Foto)$/i;
const YEAR_FOLDER = /^(Photos from|Fotos von|Fotos de|Photos de|Foto dal|Foto's uit|Fotos från|Zdjęcia z) \d{4}$/i;
const NOT_MEDIA = /\.(json|xmp|html?|txt|csv)$/i;

/** The path inside a Takeout export: from its `Google Photos` folder on, else unchanged. */
export function exportPathOf(rel: string): string {
  const segs = rel.split('/');
  const i = segs.findIndex((s) => GOOGLE_PHOTOS.test(s));
  return i >= 0 ? segs.slice(i).join('/') : rel;
}

const dirOf = (p: string) => path.posix.dirname(p);
const slash = (p: string) => p.split(path.sep).join('/');

/**
 * [Note: Bringing a library in]
 * Plans an upload with its sidecars (DESIGN §12), before anything is backed up. Pure: the files
 * of the whole request (every ZIP and folder of a Takeout export together) and the sidecars'
 * content in; what to back up, with what, out. Takeout folders (a `Google Photos` folder, or a
 * folder with JSON sidecars) have their photos matched to sidecars ([Note: Takeout sidecar
 * matching]); the sidecars are read into metadata, never backed up; album folders become
 * albums (named by their metadata.json title, which is read, not backed up), "Photos from YYYY"
 * folders do not. RAW+JPEG pairs and XMP sidecars become parts of one item ([Note: RAW+JPEG
 * pairs and XMP sidecars]), whose XMP metadata travels with the main file. Everything left over
 * is reported, by name.
 */
export function planImport(files: readonly PlanFile[], read: ReadonlyMap<number, ReadSidecar>): ImportPlan {
  const notes: ImportNote[] = [];
  const byId = new Map(files.map((f) => [f.id, f]));
  const json = (f: PlanFile) => { const r = read.get(f.id); return r?.kind === 'json' ? r.json : r?.kind === 'unreadable' && /\.json$/i.test(f.name) ? { kind: 'invalid' as const, message: r.message } : undefined; };
  // Takeout folders, by path inside the export.
  const takeoutDirs = new Set<string>();
  for (const f of files) {
    if (f.exportPath.split('/').some((s) => GOOGLE_PHOTOS.test(s)) || json(f)?.kind === 'media') takeoutDirs.add(dirOf(f.exportPath));
  }
  const inTakeout = (f: PlanFile) => takeoutDirs.has(dirOf(f.exportPath));
  const sidecars = files.filter((f) => inTakeout(f) && /\.json$/i.test(f.name) && (json(f)?.kind === 'media' || json(f)?.kind === 'invalid'));
  const albumTitles = new Map<string, string>();
  const albumFiles: number[] = []; // a Takeout album's metadata.json: read for its title, not backed up (nor counted as "not a photo")
  for (const f of files) {
    const j = json(f);
    if (j?.kind === 'album' && j.title) albumTitles.set(dirOf(f.exportPath), j.title);
    if (j?.kind === 'album' && inTakeout(f)) albumFiles.push(f.id);
  }
  const media = files.filter((f) => inTakeout(f) && !NOT_MEDIA.test(f.name));
  const match = matchTakeoutSidecars(media.map((f) => f.exportPath), sidecars.map((s) => ({ path: s.exportPath, title: (() => { const j = json(s); return j?.kind === 'media' ? j.title : undefined; })() })));
  const sidecarByExport = new Map(sidecars.map((s) => [s.exportPath, s]));
  const metadata = new Map<number, FileMetadata[]>();
  let matched = 0;
  let withoutSidecar = 0;
  for (const f of media) {
    const m = match.matched.get(f.exportPath);
    const s = m ? sidecarByExport.get(m.sidecar) : undefined;
    const j = s ? json(s) : undefined;
    if (s && j?.kind === 'media') {
      metadata.set(f.id, [{ ...j.metadata, sidecar: s.sourcePath }]);
      matched++;
    } else {
      withoutSidecar++;
      if (s && j?.kind === 'invalid') notes.push({ path: s.sourcePath, code: 'SIDECAR_INVALID', message: `${s.name} ${j.message}; ${f.name} was backed up without its Takeout metadata (dated from its own)` });
      else notes.push({ path: f.sourcePath, code: 'NO_SIDECAR', message: `${f.name}: no Takeout sidecar found for it; dated from its own metadata` });
    }
  }
  const claimed = new Set([...match.matched.values()].map((v) => v.sidecar));
  const contested = new Map(match.ambiguous.map((a) => [a.sidecar, a.media]));
  for (const s of sidecars) {
    if (claimed.has(s.exportPath)) continue;
    const j = json(s);
    const who = contested.get(s.exportPath);
    const why = j?.kind === 'invalid' ? `${j.message}, and no photo or video of its name is in the export`
      : who ? `could belong to ${who.map((w) => path.posix.basename(w)).join(' or ')}; given to neither`
      : 'no photo or video of its name is in the export (is a ZIP of the export missing from the upload?)';
    notes.push({ path: s.sourcePath, code: 'SIDECAR_UNMATCHED', message: `${s.name}: ${why}` });
  }
  // RAW+JPEG pairs and XMP sidecars, folder by folder of each source.
  const sidecarIds = new Set(sidecars.map((s) => s.id));
  const rest = files.filter((f) => !sidecarIds.has(f.id));
  const bySlash = new Map(rest.map((f) => [slash(f.sourcePath), f]));
  const grouping = groupItemParts(rest.filter((f) => !/\.json$/i.test(f.name)).map((f) => ({ path: slash(f.sourcePath), mtimeMs: f.mtimeMs })));
  const consumed = [...sidecars.map((s) => s.id), ...albumFiles];
  for (const x of grouping.unmatchedXmp) {
    const f = bySlash.get(x)!;
    consumed.push(f.id);
    notes.push({ path: f.sourcePath, code: 'XMP_UNMATCHED', message: `${f.name}: no photo of its name beside it (or more than one); the sidecar was not kept` });
  }
  const partOf = new Map<number, { id: number; role: 'raw' | 'xmp' }>();
  let rawPairs = 0;
  let xmpSidecars = 0;
  for (const [p, { of, role }] of grouping.parts) {
    const part = bySlash.get(p)!;
    const main = bySlash.get(of)!;
    partOf.set(part.id, { id: main.id, role });
    if (role === 'raw') rawPairs++;
    else {
      xmpSidecars++;
      const r = read.get(part.id);
      if (r?.kind === 'xmp' && r.xmp.kind === 'ok') metadata.set(main.id, [...(metadata.get(main.id) ?? []), { ...r.xmp.metadata, sidecar: part.sourcePath }]);
      else notes.push({ path: part.sourcePath, code: 'XMP_INVALID', message: xmpNotRead(part.name, main.name, r) });
    }
  }
  // Live photos (DESIGN §2): an image and a video of its stem, as a watched folder pairs them;
  // a RAW or XMP that is a part already is no candidate.
  const liveOf = new Map<number, number>(); // video → image
  const candidates = rest.filter((f) => !partOf.has(f.id) && !isXmpName(f.name) && !/\.json$/i.test(f.name) && !grouping.unmatchedXmp.includes(slash(f.sourcePath)));
  for (const [video, image] of pairLivePhotos(candidates.map((f) => ({ path: slash(f.sourcePath), mtimeMs: f.mtimeMs })))) liveOf.set(bySlash.get(video)!.id, bySlash.get(image)!.id);
  const albumFor = (f: PlanFile): string | null => {
    if (!f.separate || !inTakeout(f) || f.albumName === null) return f.albumName;
    const leaf = path.posix.basename(dirOf(f.exportPath));
    if (YEAR_FOLDER.test(leaf) || GOOGLE_PHOTOS.test(leaf)) return null;
    return albumTitles.get(dirOf(f.exportPath)) ?? f.albumName;
  };
  const taken = new Set(consumed);
  const planned = (f: PlanFile): PlannedFile => {
    const part = partOf.get(f.id);
    const image = liveOf.get(f.id);
    const main = part ? byId.get(part.id)! : image !== undefined ? byId.get(image)! : f;
    return { id: f.id, albumName: albumFor(main), metadata: part ? [] : (metadata.get(f.id) ?? []), ...(part ? { partOf: part } : {}), ...(image !== undefined ? { livePartOf: { id: image } } : {}) };
  };
  const left = files.filter((f) => !taken.has(f.id));
  const isPart = (f: PlanFile) => partOf.has(f.id) || liveOf.has(f.id);
  return {
    files: [...left.filter((f) => !isPart(f)).map(planned), ...left.filter(isPart).map(planned)],
    consumed,
    report: { sidecars: sidecars.length, matched, withoutSidecar, unmatchedSidecars: sidecars.length - claimed.size, rawPairs, xmpSidecars, livePhotos: liveOf.size, notes },
  };
}

/** True for the names whose content the plan reads before backing anything up. */
export function isSidecarName(name: string): boolean {
  return /\.json$/i.test(name) || isXmpName(name);
}
