import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno, libraryWriteError } from '../errors.js';
import { albumNameFor, type AlbumMode } from './album-mapping.js';
import { isSameOrInside } from '../library/path-identity.js';
import { hasSubfolders, refuseSystemFolder, walkTree, type ScanProblem } from './source-scan.js';
import type { IngestOutcome, UploadItem } from './upload-item.js';
import type { UploadPipeline } from './upload-pipeline.js';
import { extractEntry, listZip } from './zip-source.js';
import { exportPathOf, type ImportReport } from '../import/import-plan.js';
import { planRequest, type PlannedRequestFile, type RequestFile } from '../import/request-plan.js';
import { formatBytes } from '../format.js';
import { injectFault } from '../faults.js';

/** A manual upload: files, folders and ZIP archives (DESIGN §2 "Manual upload"). */
export interface UploadRequest {
  paths: string[];
  /** Album for loose files, or the name of a folder's root album. Default: folder name / Uncategorized. */
  album?: string;
  /** For folders (and archives) with subfolders. Default: separate. Folders without subfolders are always single. */
  mode?: AlbumMode;
}

/** Progress of a running upload. */
export interface UploadProgress {
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  current: string | null;
}

/** A per-file failure, as reported to a person. */
export interface UploadFailure {
  path: string;
  code: string;
  message: string;
}

/** What an upload did. */
export interface UploadSummary {
  filesTotal: number;
  stored: number;
  created: number;
  linked: number;
  skipped: number;
  ignored: number;
  vanished: number;
  failed: number;
  bytesAdded: number;
  /** Files whose stored bytes were missing or damaged and were written again from their source (counted in their outcome too). */
  restored: number;
  failures: UploadFailure[];
  interrupted: boolean;
  durationMs: number;
  /**
   * Files backed up (new, or added) whose content was not recognised as a photo or video: kept
   * because of their extension. `paths` has the first MAX_NOTES; count 0 when there were none.
   */
  unrecognised: { count: number; paths: string[] };
  /** Sidecars and item parts the upload found (issue #21); absent when it had none. */
  import?: UploadImportSummary;
}

/**
 * What an upload made of sidecars and parts: Takeout JSON matched or not, RAW+JPEG pairs, XMP
 * sidecars, and every note by name — the plan's report, its `notes` cut to the first MAX_NOTES
 * (all are in the activity log).
 */
export interface UploadImportSummary extends ImportReport {
  notesOmitted: number;
}

/** Notes returned in an upload summary at most; the activity log has them all. */
const MAX_NOTES = 1000;

/** ZIP entries extracted (and backed up) at a time. */
const ZIP_CHUNK = 32;

type Source = { kind: 'items'; items: UploadItem[]; separate: boolean } | { kind: 'zip'; zipPath: string; mode: AlbumMode | undefined; album: string | undefined };

/** Plans and runs manual uploads through the shared pipeline. */
export class UploadService {
  constructor(private readonly ctx: EngineContext, private readonly pipeline: UploadPipeline) {}

  /**
   * Uploads everything named in the request; per-file problems are in the summary, library-wide
   * ones throw. The whole request is planned first, with its sidecars ([Note: Bringing a library
   * in]): main files go through the pipeline, then parts (RAW, XMP), which join them.
   */
  async upload(req: UploadRequest, opts: { onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {}): Promise<UploadSummary> {
    const started = this.ctx.now();
    const unreadable: ScanProblem[] = [];
    const sources = await this.plan(req, unreadable);
    const summary: UploadSummary = { filesTotal: 0, stored: 0, created: 0, linked: 0, skipped: 0, ignored: 0, vanished: 0, failed: 0, bytesAdded: 0, restored: 0, failures: [], interrupted: false, durationMs: 0, unrecognised: { count: 0, paths: [] } };
    // A folder (or file) inside a folder that could not be read: its files were not backed up, and the summary says so.
    // `failed` and `filesTotal` count files: an unreadable file is one of each; a folder is listed in `failures`, uncounted (its files are not known).
    let unplanned = 0; // files that failed before they could be planned
    const fail = (p: string, code: string, message: string, files: number) => {
      this.recordFailure(summary, p, code, message, files);
      unplanned += files;
    };
    for (const u of unreadable) {
      if (u.code === 'SHOEBOX_LIBRARY') {
        fail(u.path, 'SHOEBOX_LIBRARY', `${u.path} is another Shoebox library: its stored files are not photos to back up, so it was skipped. To bring its photos in, export them from it (\`shoebox --library ${u.path} export --all FOLDER\`) and upload that folder.`, 0);
        continue;
      }
      const fix = u.code === 'EACCES' || u.code === 'EPERM' ? 'check its permissions; ' : '';
      fail(u.path, 'SOURCE_UNREADABLE', `${u.path} cannot be read (${u.code}); ${fix}${u.folder ? 'what is in it was' : 'it was'} not backed up`, u.folder ? 0 : 1);
    }
    const progress: UploadProgress = { filesTotal: 0, filesDone: 0, bytesTotal: 0, bytesDone: 0, current: null };
    const zips = await Promise.all(sources.filter((s) => s.kind === 'zip').map(async (s) => ({ s, listing: await listZip(s.zipPath) })));
    try {
      // An archive that would unpack to more than the library disk has free is refused whole,
      // before anything is extracted (a bomb spread over many entries, or just too big).
      const free = zips.length > 0 ? await freeBytes(this.ctx.paths.root) : null;
      for (const z of zips) {
        const total = z.listing.entries.reduce((n, e) => n + e.info.size, 0);
        if (free !== null && total > free) {
          fail(z.s.zipPath, 'DISK_FULL', `${path.basename(z.s.zipPath)} would unpack to ${formatBytes(total)}, more than the ${formatBytes(free)} free on the library's disk; nothing from it was backed up. Free space (or move the library) and upload it again.`, z.listing.entries.length);
          z.listing.entries = [];
        }
      }
      for (const { listing, s } of zips) {
        for (const p of listing.problems) fail(`${s.zipPath}!/${p.entry}`, 'ZIP_INVALID', `${p.entry} ${p.message}`, 1);
      }
      const plan = await planRequest(this.requestFiles(sources, zips));
      for (const p of [...plan.mains, ...plan.parts]) { progress.filesTotal++; progress.bytesTotal += p.file.size; }
      summary.filesTotal = progress.filesTotal + unplanned;
      this.noteImport(summary, plan.report);
      opts.onProgress?.({ ...progress });
      const tally = (item: UploadItem, outcome: IngestOutcome, seen: { unrecognised: boolean }) => {
        const status = outcome.status === 'unchanged' || outcome.status === 'moved' ? 'skipped' : outcome.status; // a watched file ([Note: Uploading a watched file]): already backed up, or followed
        summary[status]++;
        if (seen.unrecognised && (status === 'stored' || status === 'created' || status === 'linked')) {
          if (summary.unrecognised.count++ < MAX_NOTES) summary.unrecognised.paths.push(item.sourcePath);
        }
        if ('restored' in outcome && outcome.restored) summary.restored++;
        if (outcome.status === 'stored') summary.bytesAdded += outcome.bytesAdded;
        if (outcome.status === 'failed') summary.failures.push({ path: item.sourcePath, code: outcome.code, message: outcome.message });
        progress.filesDone++;
        progress.bytesDone += item.size;
        progress.current = item.sourcePath;
        opts.onProgress?.({ ...progress });
        injectFault('upload-file');
      };
      const watchOf = this.watchOf();
      const run = (items: UploadItem[]) => this.pipeline.run(items.map((item) => ({ item: watchOf(item) })), tally, { total: items.length, ...(opts.signal ? { signal: opts.signal } : {}) });
      for (const phase of [plan.mains, plan.parts]) {
        if (opts.signal?.aborted) break;
        await run(phase.flatMap((p) => (p.file.origin.kind === 'file' ? [itemOf(p, p.file.origin.item)] : [])));
        const fromZips = phase.filter((p) => p.file.origin.kind === 'zip');
        // Entries are extracted a chunk at a time (into this process's temp folder), backed up
        // through the pipeline like files, then their extracted copies removed; the next chunk is
        // extracted while one is backed up (so at most two chunks are on disk at once).
        const extract = (i: number) => (i < fromZips.length ? this.extractChunk(fromZips.slice(i, i + ZIP_CHUNK), summary, progress) : undefined);
        let next = extract(0);
        try {
          for (let i = 0; next && !opts.signal?.aborted; i += ZIP_CHUNK) {
            const extracted = await next;
            next = extract(i + ZIP_CHUNK);
            try {
              await run(extracted);
            } finally {
              await Promise.all(extracted.map((it) => fs.rm(it.readPath, { force: true })));
            }
          }
        } finally {
          if (next) await Promise.all((await next).map((it) => fs.rm(it.readPath, { force: true })));
        }
      }
    } finally {
      for (const z of zips) z.listing.zip.close();
      summary.interrupted = opts.signal?.aborted ?? false;
      summary.durationMs = this.ctx.now() - started;
    }
    return summary;
  }

  /** Marks an item inside a watched folder with its watch ([Note: Uploading a watched file]); ZIP entries are not. */
  private watchOf(): (item: UploadItem) => UploadItem {
    const watches = this.ctx.cdb.db.prepare('SELECT id, path FROM watches').all() as Array<{ id: number; path: string }>;
    return (item) => {
      if (watches.length === 0 || item.readPath !== item.sourcePath) return item;
      // by the path string: records are keyed by it (a path reached through a link names other records)
      const w = watches.find((x) => item.sourcePath.startsWith(`${x.path}${path.sep}`));
      return w ? { ...item, watchedBy: w.id } : item;
    };
  }

  /** Extracts ZIP entries into the temp folder, one after another; an entry that can't be extracted is a recorded failure. */
  private async extractChunk(chunk: PlannedRequestFile[], summary: UploadSummary, progress: UploadProgress): Promise<UploadItem[]> {
    const extracted: UploadItem[] = [];
    for (const p of chunk) {
      const o = p.file.origin as Extract<RequestFile['origin'], { kind: 'zip' }>;
      const tmp = await extractEntry(o.zip, o.entry, this.ctx.tmpDir).catch((err: Error) => err);
      if (typeof tmp !== 'string') {
        this.recordFailure(summary, p.file.sourcePath, 'ZIP_INVALID', `${o.info.name} could not be extracted (${tmp.message})`);
        progress.filesDone++;
        continue;
      }
      extracted.push(itemOf(p, { readPath: tmp, sourcePath: p.file.sourcePath, name: p.file.name, albumName: null, size: o.info.size, mtimeMs: o.info.mtimeMs, ino: 0, trustStat: false }));
    }
    return extracted;
  }

  /** Every file of the request, for the plan: files of folders and loose files, then every ZIP's entries. */
  private requestFiles(sources: Source[], zips: Array<{ s: Extract<Source, { kind: 'zip' }>; listing: Awaited<ReturnType<typeof listZip>> }>): RequestFile[] {
    const files: RequestFile[] = [];
    for (const s of sources) {
      if (s.kind !== 'items') continue;
      for (const item of s.items) {
        files.push({ id: files.length, sourcePath: item.sourcePath, exportPath: exportPathOf(item.sourcePath.split(path.sep).join('/')), name: item.name, mtimeMs: item.mtimeMs, albumName: item.albumName, separate: s.separate, size: item.size, origin: { kind: 'file', item } });
      }
    }
    for (const { s, listing } of zips) {
      const zipName = path.basename(s.zipPath).replace(/\.zip$/i, '');
      const nested = listing.entries.some((e) => e.info.relDir !== '');
      const mode: AlbumMode = nested ? (s.mode ?? 'separate') : 'single';
      for (const { info, entry } of listing.entries) {
        const sourcePath = `${s.zipPath}!/${info.name}`;
        const inExport = exportPathOf(info.name);
        files.push({
          id: files.length, sourcePath, exportPath: inExport === info.name ? sourcePath : inExport, name: path.posix.basename(info.name), mtimeMs: info.mtimeMs,
          albumName: albumNameFor(s.album ?? zipName, info.relDir, mode), separate: mode === 'separate', size: info.size, origin: { kind: 'zip', zip: listing.zip, entry, info },
        });
      }
    }
    return files;
  }

  /** Puts what the plan found into the summary and every note into the activity log (one transaction). */
  private noteImport(summary: UploadSummary, r: ImportReport): void {
    if (r.sidecars === 0 && r.rawPairs === 0 && r.xmpSidecars === 0 && r.livePhotos === 0 && r.notes.length === 0) return;
    const { notes, ...counts } = r;
    summary.import = { ...counts, notes: notes.slice(0, MAX_NOTES), notesOmitted: Math.max(0, notes.length - MAX_NOTES) };
    if (notes.length > 0) this.ctx.cdb.write(() => { for (const n of notes) this.ctx.activity.record('info', n.code, n.message, n.path); });
  }

  /** A failure outside the pipeline, standing for `files` files (0: a folder whose files are not known). */
  private recordFailure(summary: UploadSummary, p: string, code: string, message: string, files = 1): void {
    summary.failed += files;
    summary.failures.push({ path: p, code, message });
    this.ctx.cdb.write(() => this.ctx.activity.record('error', code, message, p));
  }

  /** Validates every path and turns it into items (folders, files) or a ZIP to open. */
  private async plan(req: UploadRequest, unreadable: ScanProblem[]): Promise<Source[]> {
    const sources: Source[] = [];
    for (const raw of req.paths) {
      const { path: p, stat: st } = await checkUploadPath(raw, this.ctx.paths.root);
      if (st.isDirectory()) {
        const nested = await hasSubfolders(p).catch((err: unknown) => {
          throw new ShoeboxError('PATH_UNREADABLE', `The folder ${p} cannot be read (${(err as NodeJS.ErrnoException).code}). Check its permissions.`, { cause: err });
        });
        const mode: AlbumMode = nested ? (req.mode ?? 'separate') : 'single';
        const rootName = req.album ?? path.basename(p);
        const items: UploadItem[] = [];
        // read again now: what could not be read before is recorded again below if it still cannot be
        try {
          this.ctx.cdb.write(() => {
            this.ctx.activity.clearErrors([p]);
            this.ctx.activity.clearErrorsUnder(p, 'SOURCE_UNREADABLE');
          });
        } catch (err) {
          throw libraryWriteError(err, this.ctx.paths.root); // a full disk or an I/O error says so, as every write of the upload does
        }
        const onLibrary = (dir: string) => unreadable.push({ path: dir, code: 'SHOEBOX_LIBRARY', folder: true });
        for await (const f of walkTree(p, (prob) => unreadable.push(prob), this.ctx.paths.root, { onLibrary })) {
          items.push({ readPath: f.path, sourcePath: f.path, name: path.basename(f.path), albumName: albumNameFor(rootName, f.relDir, mode), size: f.size, mtimeMs: f.mtimeMs, ino: f.ino, trustStat: true });
        }
        sources.push({ kind: 'items', items, separate: mode === 'separate' });
      } else if (/\.zip$/i.test(p)) {
        sources.push({ kind: 'zip', zipPath: p, mode: req.mode, album: req.album });
      } else {
        sources.push({ kind: 'items', separate: false, items: [{ readPath: p, sourcePath: p, name: path.basename(p), albumName: req.album ?? null, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: Number(st.ino), trustStat: true }] });
      }
    }
    return sources;
  }

}

/**
 * The checks of a path to upload that need no open library: not a system folder, exists and
 * can be read, not inside the library folder `libraryDir`. The CLI runs them before it opens
 * (or creates) the library, so a refused `upload` creates nothing; the upload runs them again.
 */
export async function checkUploadPath(raw: string, libraryDir: string): Promise<{ path: string; stat: import('node:fs').Stats }> {
  const p = path.resolve(raw);
  refuseSystemFolder(p);
  const stat = await statSource(p);
  if (isSameOrInside(libraryDir, p)) { // [Note: Same folder, whatever the path]
    throw new ShoeboxError('PATH_INSIDE_LIBRARY', `${p} is inside the Shoebox library (${libraryDir}); choose a folder outside it.`);
  }
  return { path: p, stat };
}

/** Stats a path named by the user, turning failures into messages that name it. */
export async function statSource(p: string): Promise<import('node:fs').Stats> {
  try {
    return await fs.stat(p);
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) throw new ShoeboxError('PATH_NOT_FOUND', `${p} does not exist. Check the path (is the drive connected?).`, { cause: err });
    if (isErrno(err, 'EACCES', 'EPERM')) throw new ShoeboxError('PATH_UNREADABLE', `${p} cannot be read: permission denied. Check its permissions.`, { cause: err });
    if (isErrno(err, 'ELOOP')) throw new ShoeboxError('PATH_UNREADABLE', `${p} is a symbolic link loop.`, { cause: err });
    throw new ShoeboxError('PATH_UNREADABLE', `${p} cannot be read (${(err as NodeJS.ErrnoException).code}).`, { cause: err });
  }
}

/** Bytes free for this user on the file system holding `dir`, or null where it cannot be told. */
async function freeBytes(dir: string): Promise<number | null> {
  try {
    const st = await fs.statfs(dir);
    return st.bavail * st.bsize;
  } catch {
    return null;
  }
}

/** An upload item as planned: its album, sidecar metadata, and (for a part) the item it joins. */
function itemOf(p: PlannedRequestFile, base: UploadItem): UploadItem {
  return { ...base, albumName: p.albumName, ...(p.metadata.length > 0 ? { metadata: p.metadata } : {}), ...(p.partOf ? { partOf: p.partOf } : {}), ...(p.livePartOf ? { livePartOf: p.livePartOf } : {}), ...(p.mediaType ? { mediaType: p.mediaType } : {}) };
}
