import type { FileMetadata } from '../catalog/metadata-catalog.js';
import type { PartRole } from '../catalog/item-parts.js';
import type { SourceRecord } from '../catalog/source-records.js';
import type { ShoeboxErrorCode } from '../errors.js';

/** A file of a watched folder: the facts the watch knows before anything is read. */
export interface WatchedSource {
  watchId: number;
  /** The watched folder. */
  root: string;
  /** This watch's records at the path (records left by a manual upload or an earlier watch included, see `adopt`). */
  records: SourceRecord[];
  /** Ids of records at this path that belong to no watch yet: this watch takes them over when the file commits. */
  adopt: number[];
}

/** One source file to back up. */
export interface UploadItem {
  /** Where the bytes are read from. */
  readPath: string;
  /** What the source record remembers (the path, or `archive.zip!/entry` for ZIP entries). */
  sourcePath: string;
  /** The library file's name. */
  name: string;
  /** Target album; null means Uncategorized. */
  albumName: string | null;
  size: number;
  mtimeMs: number;
  ino: number;
  /** False when size/mtime/inode say nothing (extracted ZIP entries) or a watch asks for a fresh read: always read. */
  trustStat: boolean;
  /** Set for files of a watch folder: their source records belong to the watch. */
  watch?: WatchedSource;
  /**
   * A manual upload of a file inside a watched folder: that watch's id. Going into the album the
   * watch feeds, the file is what the watch would make of it: a new version of the file its
   * record names there, or that file moved ([Note: Uploading a watched file]).
   */
  watchedBy?: number;
  /** Source path of the image this video is the live part of (same stem, same folder). */
  livePartOf?: string;
  /** A part of another item (the RAW of a RAW+JPEG pair, an XMP sidecar): its main file's source path ([Note: Item parts]). */
  partOf?: { sourcePath: string; role: Exclude<PartRole, 'live'> };
  /** What sidecars say about this file (Takeout JSON, XMP): recorded with the library file it becomes ([Note: Sidecar metadata]). */
  metadata?: FileMetadata[];
  /** The content's type when known without sniffing (an XMP sidecar is not a photo). */
  mediaType?: string;
}

/** A watched file whose change was decided before reading it (DESIGN §2: unchanged, or moved). */
export type DecidedBeforeRead =
  /** Same size, mtime and inode as recorded and its bytes are fine; only records to adopt are written. */
  | { action: 'unchanged' }
  /** The same inode, size and mtime vanished from another recorded path: the file moved. */
  | { action: 'move'; record: SourceRecord };

/** What goes into the pipeline: an item, possibly already decided. */
export interface Candidate {
  item: UploadItem;
  before?: DecidedBeforeRead;
}

/** Facts about a source file's content, from a worker or from its unchanged source record. */
export interface Identified {
  hash: string;
  size: number;
  mtimeMs: number;
  ino: number;
  mediaType: string;
}

/** What happened to one item. `restored`: the stored bytes were missing or damaged and were written again from this source. */
export type ItemOutcome =
  | { status: 'stored'; fileId: number; bytesAdded: number } // new library file, new bytes
  | { status: 'created'; fileId: number; restored?: true } // new library file, bytes already stored
  | { status: 'linked'; fileId: number; restored?: true } // membership added to an existing file
  | { status: 'skipped'; fileId: number; restored?: true } // already in the album
  | { status: 'ignored'; reason: string }
  | { status: 'vanished' }
  | { status: 'failed'; code: ShoeboxErrorCode; message: string };

/** Outcomes that leave the source recorded as backed up by a library file. */
export type CommittedOutcome = Extract<ItemOutcome, { fileId: number }>;

/** What happened to one item, watch outcomes included (a watched file can also be unchanged, or moved). */
export type IngestOutcome = ItemOutcome | { status: 'unchanged' } | { status: 'moved'; fileId: number; from: string };

/**
 * Called once per item, right after the transaction that settled it committed. `unrecognised`:
 * its content was not recognised as a photo or video; it was kept because of its extension.
 */
export type OutcomeSink = (item: UploadItem, outcome: IngestOutcome, seen: { unrecognised: boolean }) => void;
