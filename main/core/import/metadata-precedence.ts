import type { FileMetadata, MetadataSource } from '../catalog/metadata-catalog.js';
import type { DateSource } from '../catalog/timeline-catalog.js';

/** A file's metadata after precedence: each value with the source it came from, and what every source said. */
export interface ResolvedMetadata {
  takenAt: { value: number; source: DateSource; instant: number | null } | null;
  location: { latitude: number; longitude: number; altitude: number | null; source: MetadataSource } | null;
  description: { value: string; source: MetadataSource } | null;
  favorite: { value: boolean; source: MetadataSource } | null;
  rating: { value: number; source: MetadataSource } | null;
  /** Every source's reading, in precedence order (Takeout, XMP, the file's own): what lost is visible. */
  sources: FileMetadata[];
}

const ORDER: readonly MetadataSource[] = ['takeout', 'xmp', 'embedded'];

/**
 * DESIGN §12's precedence, for showing (the info panel, `ls --json`): a Google Takeout sidecar
 * over an XMP sidecar over the file's own metadata, field by field — a Takeout sidecar without
 * a location leaves the XMP one standing. The date is the catalog's own (`own`, which the
 * back-fill dates by the same order: capture-date-service.ts), except while a sidecar date is
 * still waiting for the back-fill, when the sidecar's is shown. Pure.
 */
export function resolveMetadata(rows: readonly FileMetadata[], own: { takenAt: number | null; dateSource: DateSource | null }): ResolvedMetadata {
  const sources = [...rows].sort((a, b) => ORDER.indexOf(a.source) - ORDER.indexOf(b.source));
  const first = <T>(pick: (m: FileMetadata) => T | null) => {
    for (const m of sources) {
      const v = pick(m);
      if (v !== null) return { v, source: m.source };
    }
    return null;
  };
  const sidecarDate = first((m) => (m.source !== 'embedded' ? m.takenAt : null));
  let takenAt: ResolvedMetadata['takenAt'] = null;
  if (own.dateSource !== null && own.takenAt !== null && (own.dateSource === 'takeout' || own.dateSource === 'xmp' || !sidecarDate)) {
    takenAt = { value: own.takenAt, source: own.dateSource, instant: sources.find((m) => m.source === own.dateSource)?.takenInstant ?? null };
  } else if (sidecarDate) {
    const m = sources.find((x) => x.source === sidecarDate.source)!;
    takenAt = { value: sidecarDate.v, source: sidecarDate.source as 'takeout' | 'xmp', instant: m.takenInstant };
  }
  const loc = first((m) => m.location);
  const description = first((m) => m.description);
  const favorite = first((m) => m.favorite);
  const rating = first((m) => m.rating);
  return {
    takenAt,
    location: loc ? { ...loc.v, source: loc.source } : null,
    description: description ? { value: description.v, source: description.source } : null,
    favorite: favorite ? { value: favorite.v, source: favorite.source } : null,
    rating: rating ? { value: rating.v, source: rating.source } : null,
    sources,
  };
}
