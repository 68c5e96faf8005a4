import fs from 'node:fs/promises';
import path from 'node:path';
import { FreeUpCatalog } from '../catalog/free-up-catalog.js';
import type { EngineContext } from '../engine-context.js';
import type { IngestResult } from '../upload/ingest-file.js';
import { isErrno } from '../errors.js';
import { mediaTypeFromName } from '../media/media-type.js';
import { fsPath } from '../media/raw-names.js';
import { walkTree, type ScannedFile } from '../upload/source-scan.js';
import type { OffsiteCheck } from '../remote/offsite-verify.js';
import { hashInWorker, verifyStored } from '../blobs/verify-stored.js';
import { KEEP_REASON_TEXT, decideFreeUp, type FreeUpPolicy, type KeepReason, type SourceFacts, type StoredCheck } from './decide-free-up.js';

/** A source that qualifies, with exactly what was verified of it (the move re-checks these). */
export interface FreeUpCandidate {
  path: string;
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
  /** The live library file holding its content. */
  fileId: number;
}

/** A source that does not qualify, and why. */
export interface KeptSource {
  path: string;
  size: number;
  reason: KeepReason;
  detail: string | null;
}

/** How far a review or a free-up is. */
export interface FreeUpProgress {
  phase: 'scanning' | 'verifying' | 'freeing';
  done: number;
  total: number;
  /** Bytes read so far (sources and library copies). */
  bytes: number;
}

/** A folder a review could not read. */
export interface UnreadableFolder {
  path: string;
  /** Why, in words: "permission denied", "input/output error (is the disk failing?)"… */
  reason: string;
}

/** Words for why a folder could not be read. */
export function unreadableReason(code: string): string {
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EIO') return 'input/output error (is the disk failing?)';
  if (code === 'ELOOP') return 'too many levels of links';
  if (code === 'ENAMETOOLONG') return 'its path is too long';
  if (code === 'EMFILE' || code === 'ENFILE') return 'too many files open at once';
  return `error ${code}`;
}

/** What a review found, in full (the engine keeps it; people see a summary of it). */
export interface ReviewFindings {
  candidates: FreeUpCandidate[];
  kept: KeptSource[];
  /** Files outside the date or album filters (not listed). */
  excluded: number;
  /** Folders that could not be read, and why in words (their files are neither freed nor listed). */
  unreadable: UnreadableFolder[];
  /** Bytes read to verify: sources and library copies. */
  bytesRead: number;
}

/**
 * A folder (or one file) to review: the path walked, spelled as its watch keeps it when a watch
 * covers it (so paths match the source records and the watch's freed rows), and another spelling
 * of the same place (the one given) under which an upload may have recorded its sources.
 */
export interface ReviewRoot {
  path: string;
  file: boolean;
  as?: string;
}

/** What the review needs besides the library. */
export interface ReviewDeps {
  /** Checks one content's offsite copy (only asked when the policy requires it). */
  offsite: (hash: string) => Promise<OffsiteCheck>;
  /** Null when a file can go to the system Trash, else why not (only asked when moving to Trash). */
  trashRefusal: (file: string) => Promise<string | null>;
  /** Null when a file's folder lets it be moved or deleted, else why not (asked once per folder). */
  folderRefusal: (file: string) => Promise<string | null>;
  onProgress?: (p: FreeUpProgress) => void;
  signal?: AbortSignal;
}

/**
 * Reviews the sources under `roots` for Free up space (DESIGN §11): walks them, asks the
 * catalog what each was backed up as, then runs decideFreeUp for each, making the reads it asks
 * for — the source's bytes, the library copy's stored bytes (once per content), the offsite
 * copy (once per content), the folder and the Trash (once per folder) — in the worker threads, several files
 * at a time. Changes nothing.
 */
export async function reviewSources(ctx: EngineContext, roots: ReviewRoot[], policy: FreeUpPolicy, deps: ReviewDeps): Promise<ReviewFindings> {
  const catalog = new FreeUpCatalog(ctx.cdb);
  const found: ReviewFindings = { candidates: [], kept: [], excluded: 0, unreadable: [], bytesRead: 0 };
  const open: Array<{ path: string; facts: SourceFacts; ino: number }> = [];
  const progress = (phase: FreeUpProgress['phase'], done: number, total: number) => deps.onProgress?.({ phase, done, total, bytes: found.bytesRead });
  let seen = 0;
  for (const root of roots) {
    for await (const f of sourcesUnder(root, (p) => found.unreadable.push(p), ctx.paths.root)) {
      if (deps.signal?.aborted) return found;
      // Recorded under the walked spelling, else under the one given ([Note: Same folder, whatever the path]).
      const other = root.as === undefined ? null : `${root.as}${f.path.slice(root.path.length)}`;
      let records = catalog.recordFacts(f.path);
      if (records.length === 0 && other !== null) records = catalog.recordFacts(other);
      const facts: SourceFacts = { size: f.size, mtimeMs: f.mtimeMs, records, ignored: false, nameIsMedia: mediaTypeFromName(f.path) !== undefined };
      if (facts.records.length === 0) facts.ignored = catalog.isIgnored(f.path) || (other !== null && catalog.isIgnored(other));
      const step = decideFreeUp(facts, policy);
      if (step.kind === 'out-of-scope') found.excluded++;
      else if (step.kind === 'keep') found.kept.push({ path: f.path, size: f.size, reason: step.reason, detail: step.detail ?? null });
      else open.push({ path: f.path, facts, ino: f.ino });
      if (++seen % 500 === 0) progress('scanning', seen, 0);
    }
  }
  const stored = new Map<string, Promise<StoredCheck>>();
  const offsite = new Map<string, Promise<OffsiteCheck>>();
  const trash = new Map<string, Promise<string | null>>();
  const folders = new Map<string, Promise<string | null>>();
  const memo = <T>(m: Map<string, Promise<T>>, key: string, make: () => Promise<T>) => m.get(key) ?? (m.set(key, make()), m.get(key)!);
  let next = 0;
  let done = 0;
  progress('verifying', 0, open.length);
  const lane = async () => {
    while (next < open.length && !deps.signal?.aborted) {
      const item = open[next++]!;
      const { facts } = item;
      for (;;) {
        const step = decideFreeUp(facts, policy);
        if (step.kind === 'read-source') {
          const r = await hashInWorker(ctx, item.path, deps.signal);
          if (r.kind === 'hashed') {
            found.bytesRead += r.size;
            Object.assign(facts, { sourceHash: { hash: r.hash, dev: r.dev, ino: r.ino, nlink: r.nlink }, size: r.size, mtimeMs: r.mtimeMs });
            item.ino = r.ino;
          } else {
            facts.sourceHash = sourceProblem(r);
          }
        } else if (step.kind === 'read-library') {
          const state = await memo(stored, step.hash, () => verifyStored(ctx, step.hash, (n) => (found.bytesRead += n), deps.signal));
          facts.libraryBytes = { ...facts.libraryBytes, [step.hash]: state };
        } else if (step.kind === 'read-offsite') {
          const check = await memo(offsite, step.hash, () => deps.offsite(step.hash));
          facts.offsite = check.state === 'verified' ? { state: 'verified' } : check;
        } else if (step.kind === 'ask-folder') {
          facts.folderRefusal = await memo(folders, path.dirname(item.path), () => deps.folderRefusal(item.path));
        } else if (step.kind === 'ask-trash') {
          facts.trashRefusal = await memo(trash, path.dirname(item.path), () => deps.trashRefusal(item.path));
        } else {
          if (step.kind === 'free') found.candidates.push({ path: item.path, size: facts.size, mtimeMs: facts.mtimeMs, ino: item.ino, hash: step.hash, fileId: step.fileId });
          else if (step.kind === 'keep') found.kept.push({ path: item.path, size: facts.size, reason: step.reason, detail: step.detail ?? null });
          else found.excluded++;
          break;
        }
      }
      if (++done % 50 === 0 || done === open.length) progress('verifying', done, open.length);
    }
  };
  await Promise.all(Array.from({ length: ctx.pool.concurrency }, lane));
  return found;
}

/** The files under a folder (walkTree), or the one file a root names (none if it is no longer a regular file). */
async function* sourcesUnder(root: ReviewRoot, onUnreadable: (u: UnreadableFolder) => void, libraryRoot: string): AsyncGenerator<ScannedFile> {
  if (!root.file) {
    yield* walkTree(root.path, (p) => onUnreadable({ path: p.path, reason: unreadableReason(p.code) }), libraryRoot);
    return;
  }
  const st = await fs.lstat(fsPath(root.path)).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null;
    if (isErrno(err, 'EACCES', 'EPERM', 'EIO')) {
      onUnreadable({ path: root.path, reason: unreadableReason((err).code!) });
      return null;
    }
    throw err;
  });
  if (st?.isFile()) yield { path: root.path, relDir: '', size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: Number(st.ino) };
}

function sourceProblem(r: Exclude<IngestResult, { kind: 'hashed' }>): { problem: 'unreadable' | 'gone' | 'changing'; message: string } {
  if (r.kind === 'vanished') return { problem: 'gone', message: 'it vanished while being checked' };
  if (r.kind === 'ignored') return { problem: 'unreadable', message: 'it is no longer a regular file' };
  if (r.code === 'SOURCE_CHANGED') return { problem: 'changing', message: 'it changed while it was being read' };
  return { problem: 'unreadable', message: `it ${r.message}` };
}

/**
 * The order reasons are shown in: what says something is wrong with the library or the offsite
 * copy first (a damaged copy must not hide under a hundred notes.txt), then what changed, what
 * is not offsite yet, what could not be checked, and last what was simply never backed up.
 */
const REASON_ORDER: Record<KeepReason, number> = {
  'library-copy-damaged': 0, 'library-copy-missing': 1, 'same-file': 2, 'offsite-damaged': 3, 'changed-since-backup': 4, 'changed-before-move': 5, 'library-copy-in-trash': 6,
  'not-offsite': 7, 'offsite-unreachable': 8, unreadable: 9, gone: 10, 'already-freed': 11, 'no-trash': 12, 'cannot-move': 13, 'hard-linked': 14, 'deleted-from-library': 15, 'not-backed-up': 16, 'not-media': 17,
};

/** Kept sources grouped by reason (in REASON_ORDER), with totals and the first few of each by path (for people). */
export function summarizeKept(kept: KeptSource[], examples = 50): Array<{ reason: KeepReason; text: string; files: number; bytes: number; examples: Array<{ path: string; detail: string | null }> }> {
  const by = new Map<KeepReason, { files: number; bytes: number; examples: Array<{ path: string; detail: string | null }> }>();
  for (const k of [...kept].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const g = by.get(k.reason) ?? { files: 0, bytes: 0, examples: [] };
    g.files++;
    g.bytes += k.size;
    if (g.examples.length < examples) g.examples.push({ path: k.path, detail: k.detail });
    by.set(k.reason, g);
  }
  return [...by].sort((a, b) => REASON_ORDER[a[0]] - REASON_ORDER[b[0]]).map(([reason, g]) => ({ reason, text: KEEP_REASON_TEXT[reason], ...g }));
}
