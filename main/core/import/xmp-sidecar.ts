import { XMLParser } from 'fast-xml-parser';
import type { FileMetadata } from '../catalog/metadata-catalog.js';

const NS = {
  exif: 'http://ns.adobe.com/exif/1.0/',
  xmp: 'http://ns.adobe.com/xap/1.0/',
  photoshop: 'http://ns.adobe.com/photoshop/1.0/',
  dc: 'http://purl.org/dc/elements/1.1/',
} as const;

/** The properties read, as namespace + local name; the first date found wins, in this order. */
const DATE_PROPS = [[NS.exif, 'DateTimeOriginal'], [NS.photoshop, 'DateCreated'], [NS.xmp, 'CreateDate']] as const;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false, trimValues: true, processEntities: true, ignoreDeclaration: true, ignorePiTags: true });

/** What an XMP sidecar says, or what is wrong with it. */
export type XmpResult = { kind: 'ok'; metadata: FileMetadata } | { kind: 'invalid'; message: string };

/**
 * Reads an XMP sidecar (`IMG_1.jpg.xmp`, `IMG_1.xmp`; Lightroom, darktable, digiKam…): the
 * capture date (exif:DateTimeOriginal, else photoshop:DateCreated, else xmp:CreateDate; its
 * wall clock, and the instant when it names a zone), the rating (xmp:Rating, -1 rejected to 5),
 * the description (dc:description, the x-default language first) and the GPS position.
 * Properties are found by namespace, whatever prefix the file binds to it, as attributes or as
 * elements. Pure: the text in, the metadata out.
 */
export function parseXmp(text: string, sidecar: string): XmpResult {
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch (err) {
    return { kind: 'invalid', message: `is not valid XMP (${(err as Error).message.split('\n')[0]})` };
  }
  const props = collect(doc);
  if (props.size === 0 && !/<x:xmpmeta|<rdf:RDF/i.test(text)) return { kind: 'invalid', message: 'is not an XMP file (no rdf:RDF in it)' };
  let takenAt: number | null = null;
  let takenInstant: number | null = null;
  for (const [ns, name] of DATE_PROPS) {
    const d = xmpDate(text1(props.get(`${ns} ${name}`)));
    if (d) {
      ({ takenAt, takenInstant } = d);
      break;
    }
  }
  const ratingText = text1(props.get(`${NS.xmp} Rating`));
  const rating = ratingText === undefined ? null : Math.round(Number(ratingText));
  const lat = gpsCoordinate(text1(props.get(`${NS.exif} GPSLatitude`)));
  const lon = gpsCoordinate(text1(props.get(`${NS.exif} GPSLongitude`)));
  const description = altText(props.get(`${NS.dc} description`));
  return {
    kind: 'ok',
    metadata: {
      source: 'xmp', sidecar, takenAt, takenInstant,
      location: lat !== null && lon !== null && !(lat === 0 && lon === 0) ? { latitude: lat, longitude: lon, altitude: null } : null,
      description: description ?? null, favorite: null,
      rating: rating !== null && Number.isInteger(rating) && rating >= -1 && rating <= 5 ? rating : null,
    },
  };
}

/** Every property in the document as "namespace-URI localName" → value (attributes and elements). */
function collect(doc: unknown): Map<string, unknown> {
  const prefixes = new Map<string, string>();
  const found = new Map<string, unknown>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const entries = Object.entries(node as Record<string, unknown>);
    for (const [k, v] of entries) if (k.startsWith('@_xmlns:') && typeof v === 'string') prefixes.set(k.slice(8), v);
    for (const [k, v] of entries) {
      const name = k.startsWith('@_') ? k.slice(2) : k;
      const colon = name.indexOf(':');
      const uri = colon > 0 ? prefixes.get(name.slice(0, colon)) : undefined;
      if (uri && !name.startsWith('xmlns:')) {
        const key = `${uri} ${name.slice(colon + 1)}`;
        if (!found.has(key)) found.set(key, v);
      }
      if (!k.startsWith('@_')) visit(v);
    }
  };
  visit(doc);
  return found;
}

/** The text of a simple property: a string, or an element's `#text`. */
function text1(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'object' && v !== null && '#text' in v) return text1(v['#text']);
  return undefined;
}

/** A language alternative (rdf:Alt of rdf:li): the x-default entry, else the first. */
function altText(v: unknown): string | undefined {
  const direct = text1(v);
  if (direct !== undefined) return direct;
  if (typeof v !== 'object' || v === null) return undefined;
  const alt: unknown = Object.entries(v as Record<string, unknown>).find(([k]) => /(^|:)(Alt|Seq|Bag)$/.test(k))?.[1];
  if (typeof alt !== 'object' || alt === null) return undefined;
  const li: unknown = Object.entries(alt as Record<string, unknown>).find(([k]) => /(^|:)li$/.test(k))?.[1];
  const items = Array.isArray(li) ? li : [li];
  const lang = (x: unknown) => (typeof x === 'object' && x !== null ? (x as Record<string, unknown>)['@_xml:lang'] : undefined);
  return text1(items.find((x) => lang(x) === 'x-default') ?? items[0]);
}

/**
 * An XMP date (ISO 8601, to the day at least; some tools write EXIF's "2024:08:03 14:05:01"):
 * its wall clock read as UTC, and the instant when a zone is given.
 */
export function xmpDate(s: string | undefined): { takenAt: number; takenInstant: number | null } | undefined {
  if (!s) return undefined;
  const m = /^(\d{4})[-:](\d{2})(?:[-:](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  if (!m) return undefined;
  const [Y, M, D, h, mi, sec] = [m[1], m[2], m[3] ?? '1', m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  if (Y < 1826 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || sec > 60) return undefined;
  const wall = Date.UTC(Y, M - 1, D, h, mi, sec, ms);
  if (new Date(wall).getUTCDate() !== D) return undefined;
  const zone = m[8];
  if (!zone) return { takenAt: wall, takenInstant: null };
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  return { takenAt: wall, takenInstant: wall - offset * 60_000 };
}

/** XMP's GPS coordinate ("51,30.1234N", "51,30,12.5N", or a signed decimal) in degrees. */
export function gpsCoordinate(s: string | undefined): number | null {
  if (!s) return null;
  const dec = /^-?\d+(\.\d+)?$/.exec(s.trim());
  if (dec) return Number(s);
  const m = /^(\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])$/i.exec(s.trim());
  if (!m) return null;
  const deg = Number(m[1]) + Number(m[2]) / 60 + Number(m[3] ?? 0) / 3600;
  return /[SW]/i.test(m[4]!) ? -deg : deg;
}
