import type { StoredCheck } from '../blobs/verify-stored.js';

/** Why a source is kept (not freed). Shown with the file; none of them changes anything. */
export type KeepReason =
  | 'not-backed-up' // no source record: never backed up from this place
  | 'not-media' // no source record, and its name is not a photo's or a video's (Shoebox backs up only those)
  | 'deleted-from-library' // its library copy was deleted by you (re-upload protection)
  | 'changed-since-backup' // size, date or content differ from what was backed up
  | 'library-copy-in-trash' // the library file is in Shoebox's Trash (purged in 30 days)
  | 'library-copy-missing' // the library file or its stored bytes are gone
  | 'library-copy-damaged' // the stored bytes no longer hash to what was backed up, or are not stored bytes (a symlink)
  | 'same-file' // the library copy is this very file (same device and inode), not a copy of it
  | 'hard-linked' // the source has other hard links: freeing this name frees no space
  | 'not-offsite' // no offsite copy yet (or the remote lacks the object)
  | 'offsite-damaged' // the offsite copy failed decryption or its hash
  | 'offsite-unreachable' // the remote could not be asked
  | 'unreadable' // the source cannot be read now
  | 'gone' // the source vanished while being checked
  | 'already-freed' // another free-up freed it between the review and the move (found at the move)
  | 'no-trash' // there is no Trash it can go to (and deleting was not chosen)
  | 'changed-before-move' // it changed between the review and the move (found at the move)
  | 'cannot-move'; // its folder is read-only or not writable by this user

/** What the catalog says about one source record of the file's path. */
export interface RecordFacts {
  /** The live library file holding this content (the record's own, or, after dedup, the kept copy). */
  fileId: number;
  hash: string;
  size: number;
  mtimeMs: number;
  /** Whether a live library file holds the recorded content, or only one in Shoebox's Trash, or none. */
  library: 'live' | 'trashed' | 'missing';
  /** Albums the library file is in (for the album filter). */
  albumIds: number[];
  /** Its date on the timeline (capture date, else modification time), for the date filter. */
  date: number;
}

/** Everything known about one source file so far; reads fill in the optional facts as the decider asks. */
export interface SourceFacts {
  /** Its size and modification time now. */
  size: number;
  mtimeMs: number;
  records: RecordFacts[];
  /** Its library copy was deleted by the person (an ignored source). */
  ignored: boolean;
  /** Its name has a photo or video extension (for telling why a file never backed up was not). */
  nameIsMedia: boolean;
  /** Its content hash now, with the device, inode and link count of the file read: undefined until read. */
  sourceHash?: SourceRead | { problem: 'unreadable' | 'gone' | 'changing'; message: string };
  /** What re-hashing stored bytes found, by hash: undefined until read. */
  libraryBytes?: Partial<Record<string, StoredCheck>>;
  /** The offsite copy of the content: undefined until checked. */
  offsite?: { state: 'verified' } | { state: 'not-pushed' | 'missing' | 'damaged' | 'unreachable'; message: string };
  /** Null when its folder lets it be moved or deleted, else why not (a read-only drive…): undefined until asked. */
  folderRefusal?: string | null;
  /** Null when it can go to the system Trash, else why not: undefined until asked. */
  trashRefusal?: string | null;
}

/** A source's bytes as read: their hash, and which file they were read from. */
export interface SourceRead {
  hash: string;
  dev: number;
  ino: number;
  /** How many names (hard links) the file has. */
  nlink: number;
}

/** What re-hashing a content's stored bytes found: verified (and which file holds them), or why not. */
export type { StoredCheck } from '../blobs/verify-stored.js';

/** What the person asked for. */
export interface FreeUpPolicy {
  /** Free only what has a verified offsite copy (default where a remote exists). */
  requireOffsite: boolean;
  /** Only files dated before this (ms), or null for any date. */
  olderThan: number | null;
  /** Only files in these albums, or null for any. */
  albumIds: number[] | null;
  /** Move to the system Trash (false: delete, chosen explicitly). */
  useTrash: boolean;
}

/** The next step for one source: a read to make, or the verdict. */
export type FreeUpStep =
  | { kind: 'out-of-scope' }
  | { kind: 'read-source' }
  | { kind: 'read-library'; hash: string }
  | { kind: 'read-offsite'; hash: string }
  | { kind: 'ask-folder' }
  | { kind: 'ask-trash' }
  | { kind: 'keep'; reason: KeepReason; detail?: string }
  | { kind: 'free'; fileId: number; hash: string };

/**
 * DESIGN §11 as a pure decision (issue #20). A source may be freed only when, *now*: it was
 * backed up from this path and is unchanged since (size and modification time as recorded),
 * its own bytes hash to the recorded hash, a live library file holds that content and its
 * stored bytes re-hash to it, and — when required — its offsite copy decrypts to it too; its
 * folder lets it go; and it can go to the Trash unless deleting was chosen. Cheap checks come first: the decider asks for
 * each read (the source, the stored bytes, the remote) only when nothing cheaper has already
 * decided, so the caller loops `decide → read → decide` and reads as little as possible.
 */
export function decideFreeUp(f: SourceFacts, policy: FreeUpPolicy): FreeUpStep {
  if (!inScope(f, policy)) return { kind: 'out-of-scope' };
  if (f.records.length === 0) return { kind: 'keep', reason: f.ignored ? 'deleted-from-library' : f.nameIsMedia ? 'not-backed-up' : 'not-media' };
  const unchanged = f.records.filter((r) => r.size === f.size && r.mtimeMs === f.mtimeMs);
  if (unchanged.length === 0) return { kind: 'keep', reason: 'changed-since-backup', detail: 'its size or modification time differs from the backed-up file' };
  const live = unchanged.filter((r) => r.library === 'live');
  if (live.length === 0) return { kind: 'keep', reason: unchanged.some((r) => r.library === 'trashed') ? 'library-copy-in-trash' : 'library-copy-missing' };
  if (f.sourceHash === undefined) return { kind: 'read-source' };
  if ('problem' in f.sourceHash) return { kind: 'keep', reason: f.sourceHash.problem === 'changing' ? 'changed-since-backup' : f.sourceHash.problem, detail: f.sourceHash.message };
  const source = f.sourceHash.hash;
  const same = live.find((r) => r.hash === source);
  if (!same) return { kind: 'keep', reason: 'changed-since-backup', detail: 'same size and date, but its content is not what was backed up' };
  const stored = f.libraryBytes?.[same.hash];
  if (stored === undefined) return { kind: 'read-library', hash: same.hash };
  if (stored.state !== 'ok') return { kind: 'keep', reason: stored.state === 'damaged' ? 'library-copy-damaged' : 'library-copy-missing', detail: `${stored.why}; ${KEEP_FOR_REPAIR}` };
  // The same bytes read twice through two names prove nothing: a copy must be another file.
  if (stored.dev === f.sourceHash.dev && stored.ino === f.sourceHash.ino) {
    return { kind: 'keep', reason: 'same-file', detail: 'the library copy is this very file (a hard link, or the same folder reached twice), not a copy of it; freeing it would lose the photo' };
  }
  if (f.sourceHash.nlink > 1) return { kind: 'keep', reason: 'hard-linked', detail: `it has other hard links (${f.sourceHash.nlink} names); freeing this one frees no space` };
  if (policy.requireOffsite) {
    if (f.offsite === undefined) return { kind: 'read-offsite', hash: same.hash };
    if (f.offsite.state !== 'verified') {
      const reason = f.offsite.state === 'damaged' ? 'offsite-damaged' : f.offsite.state === 'unreachable' ? 'offsite-unreachable' : 'not-offsite';
      return { kind: 'keep', reason, detail: f.offsite.message };
    }
  }
  // Moved or deleted, it leaves its folder: a read-only one keeps it (found now, not at the apply).
  if (f.folderRefusal === undefined) return { kind: 'ask-folder' };
  if (f.folderRefusal !== null) return { kind: 'keep', reason: 'cannot-move', detail: f.folderRefusal };
  if (policy.useTrash) {
    if (f.trashRefusal === undefined) return { kind: 'ask-trash' };
    if (f.trashRefusal !== null) return { kind: 'keep', reason: 'no-trash', detail: f.trashRefusal };
  }
  return { kind: 'free', fileId: same.fileId, hash: same.hash };
}

/**
 * The filters: a file is in scope when it is in one of the chosen albums and dated before the
 * chosen date. A file never backed up has no album (out of scope of an album filter) and is
 * dated by its modification time.
 */
function inScope(f: SourceFacts, policy: FreeUpPolicy): boolean {
  if (policy.albumIds !== null && !f.records.some((r) => r.albumIds.some((a) => policy.albumIds!.includes(a)))) return false;
  if (policy.olderThan === null) return true;
  const date = f.records.length > 0 ? Math.max(...f.records.map((r) => r.date)) : f.mtimeMs;
  return date < policy.olderThan;
}

/**
 * What to do about a damaged or missing library copy, in words for the window and the CLI alike
 * (no command: the CLI adds its own hint when such reasons are listed).
 */
export const KEEP_FOR_REPAIR = 'keep this original: backing it up again stores the library copy again from it';

/** A person's words for a reason (CLI and window). */
export const KEEP_REASON_TEXT: Record<KeepReason, string> = {
  'not-backed-up': 'not backed up from here',
  'not-media': 'not a photo or video, going by its name (Shoebox backs up only those)',
  'deleted-from-library': 'its library copy was deleted (not backed up)',
  'changed-since-backup': 'changed since it was backed up',
  'library-copy-in-trash': "its library copy is in Shoebox's Trash",
  'library-copy-missing': 'its library copy is missing',
  'library-copy-damaged': 'its library copy is damaged',
  'same-file': 'its library copy is this very file',
  'hard-linked': 'it has other hard links',
  'not-offsite': 'not in the offsite copy yet',
  'offsite-damaged': 'its offsite copy is damaged',
  'offsite-unreachable': 'the offsite copy could not be checked',
  unreadable: 'cannot be read',
  gone: 'no longer there',
  'already-freed': 'already freed by another Free up space',
  'no-trash': 'no Trash to move it to',
  'changed-before-move': 'changed after the review',
  'cannot-move': 'cannot be moved from its folder',
};
