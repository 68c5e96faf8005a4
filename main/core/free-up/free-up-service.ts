import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno } from '../errors.js';
import { FreedSources } from '../catalog/freed-sources.js';
import { folderRelation, realPath } from '../library/path-identity.js';
import { tryLock } from '../library/os-lock.js';
import type { RemoteService } from '../remote/remote-service.js';
import { refuseSystemFolder } from '../upload/source-scan.js';
import type { WatchStore } from '../watch/watch-store.js';
import { formatBytes, plural } from '../format.js';
import type { FreeUpPolicy } from './decide-free-up.js';
import { FreedesktopTrash } from './freedesktop-trash.js';
import { freeCandidates, settleInterrupted } from './free-up-apply.js';
import { reviewSources, summarizeKept, type FreeUpProgress, type ReviewFindings, type ReviewRoot, type UnreadableFolder } from './free-up-review.js';
import { ShellTrash, notMovable, type SystemTrash } from './system-trash.js';

/** What to free up. */
export interface FreeUpRequest {
  /** Folders or files (a card); default: every watched folder. */
  paths?: string[];
  /** Only files dated before this (ms). */
  olderThan?: number | null;
  /** Only files in these albums. */
  albums?: string[];
  /** Require a verified offsite copy; default: on when the library has a remote. */
  requireOffsite?: boolean;
  /** Delete instead of moving to the system Trash (an explicit choice). */
  delete?: boolean;
}

/** What a review found, for people (the engine keeps the full list for the apply). */
export interface FreeUpReview {
  id: string;
  createdAt: number;
  roots: string[];
  /** Those of the roots that are single files (not folders). */
  fileRoots: string[];
  method: 'trash' | 'delete';
  requireOffsite: boolean;
  qualifying: { files: number; bytes: number };
  /** The qualifying files by folder, most bytes first (at most 50). */
  folders: Array<{ path: string; files: number; bytes: number }>;
  kept: ReturnType<typeof summarizeKept>;
  excluded: number;
  /** Folders that could not be read, with why. */
  unreadable: UnreadableFolder[];
  bytesRead: number;
  durationMs: number;
}

/** What freeing did. */
export interface FreeUpResult {
  method: 'trash' | 'delete';
  freed: number;
  bytesFreed: number;
  skipped: ReturnType<typeof summarizeKept>;
  interrupted: boolean;
}

const KEPT_REVIEWS = 4;

/**
 * Settings → Free up space (DESIGN §11, issue #20): a review that verifies, now, every source
 * under the chosen folders against its library copy (and its offsite copy when required), and
 * an apply that moves what qualified to the system Trash (or deletes it, when chosen), each file
 * re-checked right before. The engine keeps the review's verified list; the window and the CLI
 * apply a review by its id and never send paths to delete.
 */
export class FreeUpService {
  private readonly reviews = new Map<string, { review: FreeUpReview; findings: ReviewFindings }>();

  constructor(private readonly ctx: EngineContext, private readonly remotes: RemoteService, private readonly watches: WatchStore, private readonly systemTrash: SystemTrash | null) {}

  /** Where sources go, for people ("the Trash"), or null where this process reaches none. */
  get trashLabel(): string | null {
    return this.systemTrash?.label ?? null;
  }

  /** Reviews what can be freed. Changes nothing (but finishes a free-up a crash cut short, when none runs). */
  async review(req: FreeUpRequest, opts: { onProgress?: (p: FreeUpProgress) => void; signal?: AbortSignal } = {}): Promise<FreeUpReview> {
    const started = this.ctx.now();
    const roots = await this.roots(req.paths ?? []);
    const method = req.delete ? 'delete' : 'trash';
    if (method === 'trash' && !this.systemTrash) {
      throw new ShoeboxError('INVALID_ARGUMENT', 'Shoebox cannot reach the system Trash from here (the command line on macOS and Windows). Use Free up space in the Shoebox app, or choose to delete verified files.', { hint: '(`--delete` deletes them instead.)' });
    }
    const remotes = this.remotes.list().length;
    if (req.requireOffsite && remotes === 0) {
      throw new ShoeboxError('INVALID_ARGUMENT', 'Verified offsite copies were asked for, but this library has no offsite copy set up: nothing could be freed. Set one up and push to it first, or free without checking offsite copies.', { hint: '(`shoebox remote add`, then `shoebox remote push`.)' });
    }
    const requireOffsite = req.requireOffsite ?? remotes > 0;
    const policy: FreeUpPolicy = { requireOffsite, olderThan: req.olderThan ?? null, albumIds: this.albumIds(req.albums), useTrash: method === 'trash' };
    await this.settle();
    const findings = await reviewSources(this.ctx, roots, policy, {
      offsite: requireOffsite ? this.remotes.offsiteVerifier() : () => Promise.reject(new Error('offsite copies are not required')),
      trashRefusal: (file) => this.systemTrash!.refusal(file),
      folderRefusal,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const review: FreeUpReview = {
      id: randomBytes(8).toString('hex'), createdAt: started, roots: roots.map((r) => r.path), fileRoots: roots.filter((r) => r.file).map((r) => r.path), method, requireOffsite,
      qualifying: { files: findings.candidates.length, bytes: findings.candidates.reduce((n, c) => n + c.size, 0) },
      folders: byFolder(findings.candidates), kept: summarizeKept(findings.kept), excluded: findings.excluded,
      unreadable: findings.unreadable, bytesRead: findings.bytesRead, durationMs: this.ctx.now() - started,
    };
    this.reviews.set(review.id, { review, findings });
    for (const id of [...this.reviews.keys()].slice(0, -KEPT_REVIEWS)) this.reviews.delete(id);
    return review;
  }

  /** Everything a review found (for `--json`): every qualifying and every kept file. */
  findings(reviewId: string): ReviewFindings {
    return this.entry(reviewId).findings;
  }

  /** Frees what a review found qualifying, each file re-checked right before its move. One free-up at a time per library. */
  async apply(reviewId: string, opts: { onProgress?: (p: FreeUpProgress) => void; signal?: AbortSignal } = {}): Promise<FreeUpResult> {
    const { review, findings } = this.entry(reviewId);
    this.ctx.home.assertInPlace();
    const lock = tryLock(this.lockFile, 0);
    if (!lock) throw new ShoeboxError('LIBRARY_LOCKED', 'Another Free up space is moving files of this library right now. Try again when it is done.');
    try {
      await settleInterrupted(this.ctx, (row) => this.trashFor(row.method));
      const trash = review.method === 'trash' ? this.systemTrash : null;
      const out = await freeCandidates(this.ctx, findings.candidates, { trash, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
      this.reviews.delete(reviewId);
      const where = trash ? `moved to ${trash.label}` : 'deleted';
      this.ctx.cdb.write(() => this.ctx.activity.record('info', 'FREED_UP', `Freed up ${plural(out.freed, 'file')} (${formatBytes(out.bytesFreed)}): ${where} after verifying their library copies, which stay in every album`));
      return { method: review.method, freed: out.freed, bytesFreed: out.bytesFreed, skipped: summarizeKept(out.skipped), interrupted: out.interrupted };
    } finally {
      lock.release();
    }
  }

  /** Sources freed so far (in the Trash, or deleted), and their bytes. */
  freedTotals(): { files: number; bytes: number } {
    return new FreedSources(this.ctx.cdb).totals();
  }

  /** Finishes free-ups a crash cut short, unless one is running now (its intents are live). */
  async settle(): Promise<void> {
    if (new FreedSources(this.ctx.cdb).moving().length === 0) return;
    const lock = tryLock(this.lockFile, 0);
    if (!lock) return;
    try {
      const s = await settleInterrupted(this.ctx, (row) => this.trashFor(row.method));
      this.ctx.log.info('finished a free-up that was cut short', s);
    } finally {
      lock.release();
    }
  }

  private get lockFile(): string {
    return path.join(this.ctx.paths.root, 'free-up.lock');
  }

  private entry(reviewId: string): { review: FreeUpReview; findings: ReviewFindings } {
    const e = this.reviews.get(reviewId);
    if (!e) throw new ShoeboxError('NOT_FOUND', 'That review is no longer available (it was applied, or is too old). Review again.');
    return e;
  }

  private trashFor(method: 'trash' | 'shell' | 'delete'): SystemTrash | null {
    if (method === 'delete') return null;
    if (method === 'trash') return new FreedesktopTrash();
    return this.systemTrash instanceof ShellTrash ? this.systemTrash : new ShellTrash(() => Promise.reject(new Error('settling only')));
  }

  private albumIds(names: string[] | undefined): number[] | null {
    if (!names || names.length === 0) return null;
    return names.map((n) => {
      const id = this.ctx.catalog.albumIdByName(n);
      if (id === undefined) throw new ShoeboxError('NOT_FOUND', `There is no album named "${n}".`, { hint: '`shoebox albums` lists them.' });
      return id;
    });
  }

  /**
   * The folders (or files) to look at: those given, checked, else every watched folder; none
   * inside another. A path given is resolved to what it names (symlinks followed: a link to a
   * file is that file), then spelled as the watch that covers it keeps it — watches keep the path
   * they were added by, maybe through a symlink — so its files meet their source records and
   * the watch's freed rows ([Note: Same folder, whatever the path]).
   */
  private async roots(given: string[]): Promise<ReviewRoot[]> {
    const lib = this.ctx.paths.root;
    const watches = this.watches.list();
    if (given.length === 0 && watches.length === 0) {
      throw new ShoeboxError('INVALID_ARGUMENT', 'There are no watched folders to free up space in. Name a folder (or a camera card) to look at.', { hint: '(`shoebox free-up PATH`)' });
    }
    const roots: ReviewRoot[] = given.length === 0 ? watches.map((w) => ({ path: w.path, file: false })) : [];
    for (const p of given) {
      if (p.trim() === '') throw new ShoeboxError('INVALID_ARGUMENT', 'An empty path was given: name the folder or camera card to free up space in.');
      const abs = path.resolve(p);
      refuseSystemFolder(abs);
      let real: string;
      let st: import('node:fs').Stats;
      try {
        real = await fs.realpath(abs);
        st = await fs.stat(real);
      } catch (err) {
        if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new ShoeboxError('PATH_NOT_FOUND', `${abs} does not exist. Check the path (is the drive connected?).`, { cause: err });
        if (isErrno(err, 'ELOOP')) throw new ShoeboxError('PATH_UNREADABLE', `${abs} is a loop of symbolic links.`, { cause: err });
        throw new ShoeboxError('PATH_UNREADABLE', `${abs} cannot be read${isErrno(err, 'EACCES', 'EPERM') ? ': permission denied' : ''}.`, { cause: err });
      }
      refuseSystemFolder(real);
      if (!st.isDirectory() && !st.isFile()) throw new ShoeboxError('INVALID_ARGUMENT', `${abs} is neither a folder nor a file.`);
      if (folderRelation(lib, real)) throw new ShoeboxError('PATH_INSIDE_LIBRARY', `${abs} is inside the Shoebox library (${lib}); Free up space works on your own folders, never on the library.`);
      const walk = watchSpelling(watches.map((w) => w.path), real, st.isFile());
      roots.push({ path: walk, file: st.isFile(), ...(abs !== walk ? { as: abs } : {}) });
    }
    const byPath = new Map(roots.map((r) => [r.path, r]));
    const sorted = [...byPath.keys()].sort();
    return sorted.filter((p) => !sorted.some((q) => q !== p && p.startsWith(q.endsWith(path.sep) ? q : `${q}${path.sep}`))).map((p) => byPath.get(p)!);
  }
}

/** `real` spelled under the watch folder that holds it (as the watch keeps its paths), else as it is. */
function watchSpelling(watches: string[], real: string, isFile: boolean): string {
  const folder = isFile ? path.dirname(real) : real;
  for (const w of watches) {
    if (folderRelation(w, folder) === null) continue;
    const rel = path.relative(realPath(w), real);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel === '' ? w : path.join(w, rel); // (a bind mount has no such spelling)
  }
  return real;
}

/** Null when a file's folder can be written (so the file can be moved out of it or deleted), else why not, in words. */
async function folderRefusal(file: string): Promise<string | null> {
  try {
    await fs.access(path.dirname(file), fs.constants.W_OK);
    return null;
  } catch (err) {
    const refused = notMovable(err, file);
    if (refused) return refused.message;
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null; // gone meanwhile: the move finds out and says so
    throw err;
  }
}

/** Qualifying files by folder, most bytes first. */
function byFolder(candidates: ReviewFindings['candidates']): FreeUpReview['folders'] {
  const m = new Map<string, { files: number; bytes: number }>();
  for (const c of candidates) {
    const g = m.get(path.dirname(c.path)) ?? { files: 0, bytes: 0 };
    g.files++;
    g.bytes += c.size;
    m.set(path.dirname(c.path), g);
  }
  return [...m].map(([p, g]) => ({ path: p, ...g })).sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1)).slice(0, 50);
}
