import type { FileBasics } from '../catalog/timeline-catalog.js';

/** What the catalog says about one library file (shared by dedup, similar and `Engine.fileFacts`). */
export interface FileMeta extends FileBasics {
  takenAt: number | null;
  modifiedAt: number | null;
}

/** One copy in a group of exact duplicates. */
export interface DuplicateCopy extends FileMeta {
  createdAt: number;
  /** User albums the copy is in (Uncategorized is not counted). */
  albums: string[];
  /** The shortest source path recorded for the copy, if any. */
  sourcePath: string | null;
}

/**
 * The copy kept by default (DESIGN §4, issue #5): the one in the most albums; then the oldest
 * (earliest source modification time, else earliest added to the library); then the shortest
 * source path (a copy at `Photos/x.jpg` over `Photos/Backup/old/x.jpg`; the name when no path
 * is known); then the lowest id, so the choice is stable.
 */
export function chooseKeep(copies: DuplicateCopy[]): DuplicateCopy {
  const age = (c: DuplicateCopy) => c.modifiedAt ?? c.createdAt;
  const pathLen = (c: DuplicateCopy) => (c.sourcePath ?? c.name).length;
  return [...copies].sort(
    (a, b) => b.albums.length - a.albums.length || age(a) - age(b) || pathLen(a) - pathLen(b) || a.fileId - b.fileId,
  )[0]!;
}
