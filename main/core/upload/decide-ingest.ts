import type { SourceRecord } from '../catalog/source-records.js';
import { decideUpload } from './decide-upload.js';

/** What the catalog says, inside the commit, about one identified source file with hash H going to album A. */
export interface IngestFacts {
  hash: string;
  /** H's stored bytes as found now: present, missing (not even in quarantine), or known damaged. */
  bytes: 'ok' | 'missing' | 'damaged';
  /** Watched file: this watch's records at its path (empty for a manual upload, or a file new to the watch). */
  records: ReadonlyArray<Pick<SourceRecord, 'id' | 'albumId' | 'fileId' | 'hash'>>;
  /** Watched file without a record: a record of this watch with the same content whose path is gone. */
  movedFrom?: SourceRecord;
  /** Watched file: the user deleted its library copy (re-upload protection, DESIGN §2). */
  ignored: boolean;
  /** A's id, if the album exists yet (it is created only when a file is committed into it). */
  albumId: number | undefined;
  targetIsUncategorized: boolean;
  /** A live file named N with hash H already in A. */
  inTargetAlbum: number | undefined;
  /** A live file named N with hash H in any other album. */
  elsewhere: number | undefined;
  /**
   * Video of a live photo: its image's live library file in A, the hash of the video that file
   * has (if any), and whether that file is the photo of other sources too (it joined a file of
   * another folder or album by DESIGN §3 rule 2).
   */
  liveImage?: { fileId: number; partHash: string | undefined; shared: boolean };
  /** RAW or XMP part of an item: the main file's live library file in A (none: it failed or is in Trash), the hash of the part it has in this role (and name, for XMP), and whether that file is shared as above. */
  part?: { role: 'raw' | 'xmp'; fileId: number | undefined; partHash: string | undefined; shared: boolean };
}

/** The record of this path in A whose file the new content replaces ([Note: Modified files keep their history]). */
export type Replaces = Pick<SourceRecord, 'id' | 'fileId'>;

/** What an identified source file becomes. */
export type IngestDecision =
  | { action: 'move'; record: SourceRecord }
  | { action: 'unchanged' }
  | { action: 'refuse'; reason: string }
  | { action: 'needBytes'; replace: boolean }
  | { action: 'livePart'; imageFileId: number; split?: true; replace?: true; replaces?: Replaces }
  | { action: 'part'; fileId: number; role: 'raw' | 'xmp'; replace: boolean; split?: true; replaces?: Replaces }
  | { action: 'skip' | 'addMembership'; fileId: number; replaces?: Replaces }
  | { action: 'create'; replaces?: Replaces };

/** The reason shown for a source the user deleted from the library. */
export const IGNORED_REASON = 'deleted from the library by you (Reset ignored files to back it up again)';

/**
 * DESIGN §2 and §3 for one identified file, in order: a watched file without a record whose
 * content vanished from another recorded path moved (nothing is copied, unless the bytes are
 * missing or damaged: they are stored first, then the move is followed); one whose content is
 * what its records say, with healthy bytes, is unchanged; a source the user deleted from the
 * library is refused; every other decision leaves a file pointing at H's bytes, so missing or
 * damaged bytes must be stored first (issue #15); the video of a live photo joins its image's
 * file; otherwise skip / add a membership / create (decideUpload), replacing the path's earlier
 * file in A when its content changed.
 */
export function decideIngest(f: IngestFacts): IngestDecision {
  if (f.records.length === 0 && f.movedFrom && f.bytes === 'ok') return { action: 'move', record: f.movedFrom };
  if (f.records.length > 0 && f.records.every((r) => r.hash === f.hash) && f.bytes === 'ok') return { action: 'unchanged' };
  if (f.movedFrom && f.bytes !== 'ok') return { action: 'needBytes', replace: f.bytes === 'damaged' }; // then the move
  if (f.ignored) return { action: 'refuse', reason: IGNORED_REASON };
  if (f.bytes !== 'ok') return { action: 'needBytes', replace: f.bytes === 'damaged' };
  const previous = f.albumId === undefined ? undefined : f.records.find((r) => r.albumId === f.albumId);
  const replaces = previous ? { replaces: { id: previous.id, fileId: previous.fileId } } : {};
  if (f.part) {
    const { role, fileId, partHash } = f.part;
    // An XMP sidecar is no photo: without its item it is not kept (its photo's failure is reported).
    if (fileId === undefined) {
      if (role === 'xmp') return { action: 'refuse', reason: 'its photo was not backed up, so neither was its sidecar' };
    } else if (theirPart(f, partHash, f.part.shared)) {
      return { action: 'part', fileId, role, replace: false, split: true };
    } else if (partHash === undefined || ((role === 'xmp' || f.records.some((r) => r.hash === partHash)) && partHash !== f.hash)) {
      // an edited XMP replaces the one before, and so does an edited RAW that this path's record says is the part
      return { action: 'part', fileId, role, replace: partHash !== undefined };
    } else if (partHash === f.hash) {
      return { action: 'skip', fileId, ...replaces };
    }
    // a RAW without its item, or beside another RAW already: a file of its own
  }
  if (f.liveImage) {
    if (theirPart(f, f.liveImage.partHash, f.liveImage.shared)) return { action: 'livePart', imageFileId: f.liveImage.fileId, split: true, ...replaces };
    if (f.liveImage.partHash === undefined) return { action: 'livePart', imageFileId: f.liveImage.fileId, ...replaces };
    if (f.liveImage.partHash === f.hash) return { action: 'skip', fileId: f.liveImage.fileId, ...replaces };
    // the video this path's record says is the image's was edited: its new version ([Note: Part versions])
    if (f.records.some((r) => r.hash === f.liveImage!.partHash)) return { action: 'livePart', imageFileId: f.liveImage.fileId, replace: true, ...replaces };
    // the image already has another video: this one is a file of its own
  }
  const d = decideUpload({ inTargetAlbum: f.inTargetAlbum, elsewhere: f.elsewhere, targetIsUncategorized: f.targetIsUncategorized });
  return d.action === 'create' ? { action: 'create', ...replaces } : { ...d, ...replaces };
}

/**
 * [Note: Items apart]
 * The photo of this part joined a library file that other sources share (the same photo in
 * another folder or album, DESIGN §3 rule 2), and that file has a part of this role with other
 * bytes that did not come from this path (an edit of this path's own part is a new version of
 * it, not this). The two folders hold different items (DESIGN §4: "copies whose RAWs or live
 * videos differ are different items"), so this folder's photo becomes an item of its own
 * (`split`: the same bytes, a file of its own) and gets this part; the other keeps its own.
 */
function theirPart(f: IngestFacts, partHash: string | undefined, shared: boolean): boolean {
  return shared && partHash !== undefined && partHash !== f.hash && !f.records.some((r) => r.hash === partHash);
}
