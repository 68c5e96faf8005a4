import path from 'node:path';

/** A JSON file that may be a photo's Takeout sidecar: its path inside the export, and the `title` inside it when it could be read. */
export interface SidecarCandidate {
  path: string;
  title?: string | undefined;
}

/** How a photo found its sidecar (reported, so a surprising match can be traced). */
export type MatchRule = 'name' | 'name-clipped' | 'numbered' | 'no-extension' | 'edited' | 'title';

/** The outcome of matching one export's photos and videos to their sidecars. */
export interface TakeoutMatch {
  /** Media path → its sidecar's path and the rule that found it. */
  matched: Map<string, { sidecar: string; rule: MatchRule }>;
  /** Media without a sidecar (backed up with their own metadata). */
  unmatchedMedia: string[];
  /** Sidecars no photo or video claimed (not guessed at). */
  unmatchedSidecars: string[];
  /** Sidecars that two or more files could equally claim: given to none of them. */
  ambiguous: Array<{ sidecar: string; media: string[] }>;
}

/** Google clips a sidecar's name (without `.json`) to this many characters; 47 is seen too. */
const CLIP_LENGTHS = [46, 47] as const;
const SUPPLEMENTAL = '.supplemental-metadata';
/** Suffixes Google Photos gives an edited copy, by language; the copy shares its original's sidecar. */
const EDITED_SUFFIXES = ['-edited', '-bearbeitet', '-modifié', '-editado', '-modificato', '-bewerkt', '-redigerad', '-redigeret', '-muokattu', '-edytowane'];

/** A media file name taken apart: `IMG_1-edited(2).jpg` → stem `IMG_1-edited`, number `(2)`, extension `.jpg`. */
interface MediaName {
  stem: string;
  number: string;
  ext: string;
}

function parseMedia(name: string): MediaName {
  const ext = path.posix.extname(name);
  let stem = name.slice(0, name.length - ext.length);
  const n = /\(\d+\)$/.exec(stem);
  const number = n ? n[0] : '';
  if (n) stem = stem.slice(0, -number.length);
  return { stem, number, ext };
}

/** The stem of an edited copy's original, or undefined when the name carries no edited suffix. */
function originalStem(stem: string): string | undefined {
  const lower = stem.toLowerCase();
  const suffix = EDITED_SUFFIXES.find((s) => lower.endsWith(s) && lower.length > s.length);
  return suffix ? stem.slice(0, -suffix.length) : undefined;
}

/**
 * The names Google gives the sidecar of a file titled `title` (its original name) that was the
 * `number`-th of that title in its folder, per rule, strongest first: `T.supplemental-metadata.json`
 * and its clipped forms (`T.suppl.json`, `T..json`, a clipped T), the older `T.json`, the
 * number kept in the name (`IMG(1).jpg.json` instead of `IMG.jpg(1).json`), and the oldest
 * form without the photo's extension (`IMG_1.json`).
 */
function sidecarNames(m: MediaName): Array<{ rule: MatchRule; names: string[] }> {
  const title = `${m.stem}${m.ext}`;
  const clipped = (s: string, suffix: string) => CLIP_LENGTHS.map((l) => `${s.slice(0, l)}${suffix}.json`);
  return [
    { rule: 'name', names: [`${title}${SUPPLEMENTAL}${m.number}.json`, `${title}${m.number}.json`] },
    { rule: 'name-clipped', names: [...clipped(`${title}${SUPPLEMENTAL}`, m.number), ...clipped(title, m.number)] },
    { rule: 'numbered', names: m.number ? [`${m.stem}${m.number}${m.ext}${SUPPLEMENTAL}.json`, `${m.stem}${m.number}${m.ext}.json`, ...clipped(`${m.stem}${m.number}${m.ext}${SUPPLEMENTAL}`, '')] : [] },
    { rule: 'no-extension', names: m.ext ? [...new Set([`${m.stem}${m.number}.json`, ...clipped(m.stem, m.number)])] : [] },
  ];
}

/**
 * A sidecar name taken apart for the clipped-name and title rules: the number before `.json`
 * and the (possibly clipped) title before a (possibly clipped) `.supplemental-metadata`.
 */
function parseSidecar(name: string): { key: string; number: string } {
  let base = name.replace(/\.json$/i, '');
  const n = /\(\d+\)$/.exec(base);
  const number = n ? n[0] : '';
  if (n) base = base.slice(0, -number.length);
  for (let l = SUPPLEMENTAL.length; l >= 2; l--) {
    if (base.endsWith(SUPPLEMENTAL.slice(0, l))) return { key: base.slice(0, -l), number };
  }
  return { key: base.endsWith('.') ? base.slice(0, -1) : base, number };
}

/**
 * [Note: Takeout sidecar matching]
 * Matches each photo and video of a Google Takeout export to its JSON sidecar by name, within
 * its folder (paths are relative to the export, so a sidecar in another ZIP of the same export
 * is found). Pure: names in, matches out. Rules are tried one at a time for every file still
 * unmatched, strongest first (see sidecarNames); a sidecar two files claim under the same rule
 * goes to neither and is reported as ambiguous. Edited copies (`IMG-edited.jpg`, in several
 * languages) share their original's sidecar. Last, the clipped-name rule: a file whose name
 * Google clipped (or whose sidecar's name was clipped more than the rules above expect) takes
 * the one unclaimed sidecar of its folder with the same number whose clipped title and the
 * file's name are prefixes of each other — confirmed by the sidecar's `title` when it has one,
 * and only for long names when it has none. Whatever is left is reported, never guessed.
 */
export function matchTakeoutSidecars(mediaPaths: readonly string[], sidecars: readonly SidecarCandidate[]): TakeoutMatch {
  const byDir = new Map<string, Map<string, SidecarCandidate>>();
  for (const s of sidecars) {
    const dir = path.posix.dirname(s.path);
    const names = byDir.get(dir) ?? byDir.set(dir, new Map()).get(dir)!;
    if (!names.has(path.posix.basename(s.path))) names.set(path.posix.basename(s.path), s);
  }
  const claimed = new Set<string>();
  const blocked = new Set<string>();
  const matched = new Map<string, { sidecar: string; rule: MatchRule }>();
  const ambiguous: TakeoutMatch['ambiguous'] = [];
  const media = [...new Set(mediaPaths)];
  const open = () => media.filter((m) => !matched.has(m));
  const lookup = (mediaPath: string, name: string): string | undefined => {
    const dir = path.posix.dirname(mediaPath);
    const s = byDir.get(dir)?.get(name);
    return s && !claimed.has(s.path) && !blocked.has(s.path) ? s.path : undefined;
  };
  const titleOf = new Map(sidecars.map((s) => [s.path, s.title]));
  /**
   * Gives each sidecar claimed by exactly one file to that file; a contested one to the one file
   * its `title` names (two long names clipped alike), else to nobody.
   */
  const settle = (claims: Map<string, string[]>, rule: MatchRule) => {
    for (const [sidecar, claimants] of claims) {
      const title = titleOf.get(sidecar);
      const named = title === undefined ? [] : claimants.filter((m) => { const p = parseMedia(path.posix.basename(m)); return `${p.stem}${p.ext}` === title; });
      const who = claimants.length > 1 && named.length === 1 ? named : claimants;
      if (who.length === 1) {
        matched.set(who[0]!, { sidecar, rule: who === named ? 'title' : rule });
        claimed.add(sidecar);
      } else {
        blocked.add(sidecar);
        ambiguous.push({ sidecar, media: who });
      }
    }
  };
  for (let r = 0; r < 4; r++) {
    const claims = new Map<string, string[]>();
    let rule: MatchRule = 'name';
    for (const m of open()) {
      const step = sidecarNames(parseMedia(path.posix.basename(m)))[r]!;
      rule = step.rule;
      const hit = step.names.map((n) => lookup(m, n)).find((s) => s !== undefined);
      if (hit) claims.set(hit, [...(claims.get(hit) ?? []), m]);
    }
    settle(claims, rule);
  }
  // Edited copies: their original's sidecar (shared, so no contest with the original).
  for (const m of open()) {
    const parsed = parseMedia(path.posix.basename(m));
    const stem = originalStem(parsed.stem);
    if (stem === undefined) continue;
    const original = path.posix.join(path.posix.dirname(m), `${stem}${parsed.number}${parsed.ext}`);
    const viaOriginal = matched.get(original)?.sidecar;
    const dir = byDir.get(path.posix.dirname(m));
    const direct = sidecarNames({ ...parsed, stem }).flatMap((s) => s.names).map((n) => dir?.get(n)?.path).find((s) => s !== undefined && !blocked.has(s));
    const sidecar = viaOriginal ?? direct;
    if (sidecar) {
      matched.set(m, { sidecar, rule: 'edited' });
      claimed.add(sidecar);
    }
  }
  // Clipped names and titles, for what is still open (each sidecar's name taken apart once).
  const parsedNames = new Map<string, ReturnType<typeof parseSidecar>>();
  const parsedName = (p: string) => parsedNames.get(p) ?? parsedNames.set(p, parseSidecar(path.posix.basename(p))).get(p)!;
  const claims = new Map<string, string[]>();
  for (const m of open()) {
    const parsed = parseMedia(path.posix.basename(m));
    const full = `${parsed.stem}${parsed.ext}`;
    const candidates = [...(byDir.get(path.posix.dirname(m))?.values() ?? [])].filter((s) => {
      if (claimed.has(s.path) || blocked.has(s.path)) return false;
      const { key, number } = parsedName(s.path);
      if (number !== parsed.number) return false;
      if (s.title !== undefined) return s.title === full || (s.title.startsWith(parsed.stem) && s.title.toLowerCase().endsWith(parsed.ext.toLowerCase()) && (key.startsWith(parsed.stem) || parsed.stem.startsWith(key)) && key.length > 0);
      return key.length >= CLIP_LENGTHS[0] - 1 && (full.startsWith(key) || (key.startsWith(parsed.stem) && parsed.stem.length >= CLIP_LENGTHS[0] - parsed.ext.length - 1));
    });
    if (candidates.length === 1) claims.set(candidates[0]!.path, [...(claims.get(candidates[0]!.path) ?? []), m]);
  }
  settle(claims, 'title');
  // Two long names clipped to the same sidecar name: Google numbers the second sidecar
  // (`<clipped>(1).json`) though the file has no number. Its title alone tells whose it is: taken
  // when exactly one unclaimed sidecar of the folder has this file's full name as its title and a
  // name that is a clipped prefix of it.
  const byTitle = new Map<string, string[]>();
  for (const m of open()) {
    const parsed = parseMedia(path.posix.basename(m));
    const full = `${parsed.stem}${parsed.ext}`;
    if (parsed.number !== '' || full.length <= CLIP_LENGTHS[0]) continue;
    const candidates = [...(byDir.get(path.posix.dirname(m))?.values() ?? [])].filter((s) => {
      if (claimed.has(s.path) || blocked.has(s.path) || s.title !== full) return false;
      const { key, number } = parsedName(s.path);
      return number !== '' && key.length >= CLIP_LENGTHS[0] - 1 && full.startsWith(key);
    });
    if (candidates.length === 1) byTitle.set(candidates[0]!.path, [...(byTitle.get(candidates[0]!.path) ?? []), m]);
  }
  settle(byTitle, 'title');
  const unmatchedSidecars = sidecars.map((s) => s.path).filter((p, i, all) => !claimed.has(p) && all.indexOf(p) === i);
  return { matched, unmatchedMedia: open(), unmatchedSidecars, ambiguous };
}
