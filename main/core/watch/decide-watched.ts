import type { SourceRecord } from '../catalog/source-records.js';
import type { DecidedBeforeRead } from '../upload/upload-item.js';

/** What the watch knows of a present file before reading it. */
export interface BeforeReadFacts {
  /** This watch's records at the file's path. */
  records: ReadonlyArray<Pick<SourceRecord, 'size' | 'mtimeMs' | 'ino'>>;
  /** The file's stat now. */
  stat: { size: number; mtimeMs: number; ino: number };
  /** Whether the recorded content's stored bytes are present and not known damaged (asked only when the stat matches). */
  bytesHealthy: () => boolean;
  /** A record of this watch with the file's inode, size and mtime whose own path is gone (and whose stored bytes are fine). */
  movedFrom: SourceRecord | undefined;
}

/**
 * DESIGN §2, what can be told without reading: a file with the stat its records have, whose
 * stored bytes are fine, is unchanged ("cheap": not read again; bytes known gone or damaged are
 * stored again from it, issue #15); a file new to its path whose inode, size and mtime left
 * another recorded path moved there. Anything else is read (undefined).
 */
export function decideBeforeRead(f: BeforeReadFacts): DecidedBeforeRead | undefined {
  const { stat } = f;
  if (f.records.length > 0 && f.records.every((r) => r.size === stat.size && r.mtimeMs === stat.mtimeMs && r.ino === stat.ino) && f.bytesHealthy()) return { action: 'unchanged' };
  if (f.records.length === 0 && f.movedFrom) return { action: 'move', record: f.movedFrom };
  return undefined;
}
