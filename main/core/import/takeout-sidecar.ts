import { wallClockOf } from '../dates/file-name-date.js';
import type { FileMetadata } from '../catalog/metadata-catalog.js';

/** What a JSON file of a Google Takeout export turned out to be. */
export type TakeoutJson =
  /** A photo's or video's sidecar: its metadata, and the `title` (the file's original name) for matching. */
  | { kind: 'media'; metadata: FileMetadata; title: string | undefined }
  /** An album's `metadata.json`: the album's real name (its folder name may be clipped or sanitized). */
  | { kind: 'album'; title: string | undefined }
  /** Some other JSON (print orders, comments, anything): not a sidecar. */
  | { kind: 'other' }
  /** Not valid JSON, or a sidecar whose fields can't be used: the message says what is wrong. */
  | { kind: 'invalid'; message: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a Takeout JSON file (DESIGN §12). A media sidecar has `photoTakenTime` or `creationTime`
 * (epoch seconds, as strings or numbers): the capture date is `photoTakenTime`, else
 * `creationTime` (when it was uploaded to Google Photos) — an instant, kept as one and as this
 * machine's wall clock ([Note: Capture dates are wall-clock]); the location is `geoData`, else
 * `geoDataExif`, where Google writes 0,0 for "none"; `description` when not empty; `favorited`.
 * Pure: the text in, the metadata out; `sidecar` names it in the result.
 */
export function parseTakeoutJson(text: string, sidecar: string): TakeoutJson {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { kind: 'invalid', message: `is not valid JSON (${(err as Error).message})` };
  }
  if (!isObj(value)) return { kind: 'other' };
  if (!('photoTakenTime' in value) && !('creationTime' in value)) {
    const album = isObj(value.albumData) ? value.albumData : value;
    // An album's file has `date` or `access` beside its `title`; one named metadata.json (the name
    // Takeout gives it in an album's folder) is an album's with its title alone.
    const looksLikeAlbum = 'albumData' in value || ('title' in value && ('date' in value || 'access' in value || /(^|[\\/])metadata\.json$/i.test(sidecar)));
    return looksLikeAlbum ? { kind: 'album', title: nonEmpty(album.title) } : { kind: 'other' };
  }
  const taken = timestamp(value.photoTakenTime) ?? timestamp(value.creationTime);
  if (taken === 'bad') return { kind: 'invalid', message: 'has a photoTakenTime/creationTime that is not a date' };
  const location = place(value.geoData) ?? place(value.geoDataExif);
  return {
    kind: 'media',
    title: nonEmpty(value.title),
    metadata: {
      source: 'takeout', sidecar, takenAt: taken === undefined ? null : wallClockOf(taken), takenInstant: taken ?? null,
      location: location ?? null, description: nonEmpty(value.description) ?? null,
      favorite: typeof value.favorited === 'boolean' ? value.favorited : null, rating: null,
    },
  };
}

/** Epoch seconds in `{ timestamp }` as ms; undefined when absent or zero (Google's "unknown"), 'bad' when unreadable. */
function timestamp(field: unknown): number | 'bad' | undefined {
  if (!isObj(field) || field.timestamp === undefined) return undefined;
  const t = field.timestamp;
  const secs = typeof t === 'number' ? t : typeof t === 'string' && /^-?\d+$/.test(t.trim()) ? Number(t) : NaN;
  if (!Number.isFinite(secs)) return 'bad';
  if (secs === 0) return undefined;
  const ms = Math.trunc(secs) * 1000;
  return ms >= Date.UTC(1826, 0, 1) && ms <= Date.UTC(2200, 0, 1) ? ms : 'bad';
}

function place(field: unknown): FileMetadata['location'] | undefined {
  if (!isObj(field)) return undefined;
  const { latitude, longitude, altitude } = field;
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return undefined;
  if (latitude === 0 && longitude === 0) return undefined; // Google's "no location"
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { latitude, longitude, altitude: typeof altitude === 'number' && altitude !== 0 ? altitude : null };
}

function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
