import fs from 'node:fs';
import path from 'node:path';
import { ZipFileWriter } from './zip-writer.js';

/** Bytes for one media file of the fixture: a JPEG (with an EXIF date, or none) or an MP4. */
export type MediaMaker = (seed: string, kind: 'jpeg' | 'mp4', exifDate: string | null) => Promise<Buffer>;

/** One file of a generated Takeout export. */
export interface TakeoutEntry {
  /** Path inside the export, from `Google Photos/` on (each ZIP holds it under `Takeout/`). */
  path: string;
  data: Buffer;
  /** Which ZIP of the export holds it (Google splits an export by size, sidecars included). */
  zip: number;
}

/** What must become of one photo or video of the fixture. */
export interface TakeoutExpectation {
  path: string;
  /** The sidecar's photoTakenTime (ms), or null when it has no sidecar to match. */
  instant: number | null;
  /** The album it must be in (null: Uncategorized, the year folders' photos). */
  album: string | null;
  description?: string;
  favorite?: boolean;
  location?: { latitude: number; longitude: number };
  /** The quirk this file stands for. */
  quirk: string;
}

/** A generated export: its files, what must come of each photo, and the sidecars that must be reported as unmatched. */
export interface TakeoutFixture {
  entries: TakeoutEntry[];
  expect: TakeoutExpectation[];
  unmatchedSidecars: string[];
}

const S = '.supplemental-metadata';

/** Google's sidecar JSON for a photo. */
function sidecarJson(title: string, instant: number, extra: { description?: string; favorite?: boolean; location?: { latitude: number; longitude: number } } = {}): Buffer {
  const t = (ms: number) => ({ timestamp: String(ms / 1000), formatted: new Date(ms).toUTCString() });
  const geo = extra.location ? { ...extra.location, altitude: 35.5, latitudeSpan: 0, longitudeSpan: 0 } : { latitude: 0, longitude: 0, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 };
  return Buffer.from(JSON.stringify({
    title, description: extra.description ?? '', imageViews: '3', creationTime: t(instant + 86_400_000), photoTakenTime: t(instant), geoData: geo, geoDataExif: geo,
    url: 'https://photos.google.com/photo/AF1Qip', googlePhotosOrigin: { mobileUpload: { deviceType: 'ANDROID_PHONE' } }, ...(extra.favorite !== undefined ? { favorited: extra.favorite } : {}),
  }, null, 2));
}

/**
 * A Google Takeout export with every naming quirk, `copies` times over (each copy in its own
 * year folder and albums, so it scales for the bench): photos with and without EXIF (the EXIF
 * date always differs from the sidecar's, which must win), a video, edited copies (English and
 * German), `(n)` duplicates, the full, older and clipped sidecar names (46 and 47 characters, a
 * clipped file name, `..json`), a photo in both an album and its year folder, an album whose
 * folder name was sanitized (its title in metadata.json), sidecars placed in another ZIP than
 * their photo, a photo without a sidecar and a sidecar without a photo. Spread over `zips` ZIPs.
 */
export async function takeoutFixture(make: MediaMaker, opts: { copies?: number; zips?: number } = {}): Promise<TakeoutFixture> {
  const copies = opts.copies ?? 1;
  if (copies > 30) throw new Error('at most 30 copies (one year folder each, 1995–2024)');
  const zips = Math.max(2, opts.zips ?? 3);
  const entries: TakeoutEntry[] = [];
  const expect: TakeoutExpectation[] = [];
  const unmatchedSidecars: string[] = [];
  let n = 0;
  const put = (p: string, data: Buffer, zip: number) => entries.push({ path: p, data, zip: zip % zips });
  for (let c = 0; c < copies; c++) {
    const year = 1995 + c;
    const yearDir = `Google Photos/Photos from ${year}`;
    const album = `Google Photos/Trip_ Paris ${c}`;
    const family = `Google Photos/Family ${c}`;
    const at = (day: number, hour = 12) => Date.UTC(year, 0, 1 + day, hour, 30, 15);
    const wrongExif = '2001:02:03 04:05:06';
    /** A photo and its sidecar (named `sidecarName`, or none), in `dir`; the sidecar in ZIP `sidecarZip`. */
    const add = async (dir: string, name: string, o: { title?: string; sidecarName?: string | null; exif?: boolean; kind?: 'jpeg' | 'mp4'; day: number; zip: number; sidecarZip?: number; album: string | null; quirk: string; extra?: Parameters<typeof sidecarJson>[2]; bytes?: Buffer }) => {
      const bytes = o.bytes ?? (await make(`takeout-${c}-${n++}`, o.kind ?? 'jpeg', o.exif === false ? null : wrongExif));
      put(`${dir}/${name}`, bytes, o.zip);
      const title = o.title ?? name;
      const sidecar = o.sidecarName === undefined ? `${title}${S}.json` : o.sidecarName;
      if (sidecar !== null) put(`${dir}/${sidecar}`, sidecarJson(title, at(o.day), o.extra), o.sidecarZip ?? o.zip);
      expect.push({ path: `${dir}/${name}`, instant: sidecar === null ? null : at(o.day), album: o.album, quirk: o.quirk, ...o.extra });
      return bytes;
    };
    const shared = await add(yearDir, 'IMG_20190105_101010.jpg', { day: 4, zip: 0, sidecarZip: 1, album: `Trip: Paris ${c}`, quirk: 'full .supplemental-metadata name; sidecar in another ZIP; also in an album', extra: { description: 'Eiffel Tower at dusk', favorite: true, location: { latitude: 48.8584, longitude: 2.2945 } } });
    await add(yearDir, 'IMG_1234.JPG', { sidecarName: 'IMG_1234.JPG.json', exif: false, day: 5, zip: 0, album: null, quirk: 'older NAME.json; no EXIF' });
    await add(yearDir, 'IMG_20210704_203512_MP.jpg', { sidecarName: 'IMG_20210704_203512_MP.jpg.supplemental-metadat.json', day: 6, zip: 0, sidecarZip: 2, album: null, quirk: 'clipped to 47: .supplemental-metadat.json' });
    await add(yearDir, 'PXL_20230615_184512345.NIGHT.jpg', { sidecarName: 'PXL_20230615_184512345.NIGHT.jpg.supplemental-.json', exif: false, day: 7, zip: 1, album: null, quirk: 'clipped to 46: .supplemental-.json' });
    await add(yearDir, 'Screenshot_2024-01-14-14-13-33-16_948cd9899890cbd5c2798760b2b95377.jpg', { sidecarName: 'Screenshot_2024-01-14-14-13-33-16_948cd9899890.json', exif: false, day: 8, zip: 1, sidecarZip: 0, album: null, quirk: 'long name clipped in its sidecar' });
    await add(yearDir, 'Screenshot_20220315-093045_Samsung_Intern.jpg', { sidecarName: 'Screenshot_20220315-093045_Samsung_Intern.jpg..json', day: 9, zip: 1, album: null, quirk: '45-character name: ..json' });
    await add(yearDir, 'image.jpg', { day: 10, zip: 0, album: null, quirk: '(n) duplicates: the first' });
    await add(yearDir, 'image(1).jpg', { title: 'image.jpg', sidecarName: `image.jpg${S}(1).json`, day: 11, zip: 0, sidecarZip: 1, album: null, quirk: '(n) moved before .json' });
    await add(yearDir, 'image(2).jpg', { title: 'image.jpg', sidecarName: `image.jpg${S}(2).json`, exif: false, day: 12, zip: 2, album: null, quirk: '(n) moved before .json, another ZIP' });
    await add(yearDir, 'IMG_5555.jpg', { day: 13, zip: 1, album: null, quirk: 'original of an edited copy', extra: { description: 'Before the edit' } });
    await add(yearDir, 'IMG_5555-edited.jpg', { sidecarName: null, day: 13, zip: 2, album: null, quirk: '-edited copy shares its original\'s sidecar' });
    expect.at(-1)!.instant = at(13);
    expect.at(-1)!.description = 'Before the edit';
    await add(yearDir, 'VID_20200930_155021.mp4', { kind: 'mp4', day: 14, zip: 2, sidecarZip: 0, album: null, quirk: 'a video' });
    await add(yearDir, 'no_sidecar.jpg', { sidecarName: null, day: 15, zip: 0, album: null, quirk: 'a photo without a sidecar (reported)' });
    const orphan = `${yearDir}/missing_photo.jpg${S}.json`;
    put(orphan, sidecarJson('missing_photo.jpg', at(16)), 2);
    unmatchedSidecars.push(orphan);
    // Albums: the shared photo again (same bytes), an album-only photo and its German edit, a sanitized folder name.
    await add(album, 'IMG_20190105_101010.jpg', { day: 4, zip: 2, sidecarZip: 0, album: `Trip: Paris ${c}`, quirk: 'the same photo in its album folder', bytes: shared, extra: { description: 'Eiffel Tower at dusk', favorite: true, location: { latitude: 48.8584, longitude: 2.2945 } } });
    put(`${album}/metadata.json`, Buffer.from(JSON.stringify({ title: `Trip: Paris ${c}`, description: '', access: 'protected', date: { timestamp: String(at(20) / 1000) } })), 1);
    await add(family, 'DSC_0042.JPG', { sidecarName: 'DSC_0042.JPG.json', day: 17, zip: 1, sidecarZip: 2, album: `Family ${c}`, quirk: 'album without metadata.json: its folder name' });
    await add(family, 'DSC_0042-bearbeitet.JPG', { sidecarName: null, day: 17, zip: 0, album: `Family ${c}`, quirk: 'German edited copy' });
    expect.at(-1)!.instant = at(17);
  }
  return { entries, expect, unmatchedSidecars };
}

/** Writes the export as `takeout-001.zip`… under dir (each entry under `Takeout/`, the ZIPs' mtimes the export's date); returns their paths. */
export function writeTakeoutZips(dir: string, fixture: TakeoutFixture, exportedAt = new Date(2024, 8, 1, 10)): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const count = Math.max(...fixture.entries.map((e) => e.zip)) + 1;
  const writers = Array.from({ length: count }, (_, i) => new ZipFileWriter(path.join(dir, `takeout-20240901T100000Z-${String(i + 1).padStart(3, '0')}.zip`)));
  for (const e of fixture.entries) writers[e.zip]!.add(`Takeout/${e.path}`, e.data, exportedAt);
  for (const w of writers) w.close();
  return writers.map((w) => w.file);
}

/** Writes the export unpacked, as a person who extracted every ZIP into one folder would have it (`dir/Takeout/Google Photos/…`). */
export function writeTakeoutFolder(dir: string, fixture: TakeoutFixture): string {
  for (const e of fixture.entries) {
    const p = path.join(dir, 'Takeout', e.path);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, e.data);
  }
  return path.join(dir, 'Takeout');
}
