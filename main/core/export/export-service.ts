import fs from 'node:fs';
import path from 'node:path';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, isErrno } from '../errors.js';
import { isSameOrInside } from '../library/path-identity.js';
import type { WatchStore } from '../watch/watch-store.js';
import type { CopyOutResult } from './copy-out.js';
import { fitName, safeChars, safeName, splitExt } from './file-names.js';
import { copyBlobOut, inspectPlaces, purgedMeanwhile } from './copy-blob-out.js';
import { runQueue } from '../work-queue.js';
import { injectFault } from '../faults.js';
import { listDir } from '../list-dir.js';
import { refuseNotAFolder, refuseNotWritable } from '../not-a-folder.js';
import { refuseSystemTarget } from '../system-folders.js';

/** How exported files are arranged. */
export type ExportLayout = 'albums' | 'flat' | 'by-date';

/** What to export where. */
export interface ExportRequest {
  /** Album names; empty with `all` = every album (Uncategorized included). */
  albums: string[];
  all: boolean;
  dest: string;
  layout: ExportLayout;
  includeTrash: boolean;
  /** Just these files (a selection in the window), instead of albums; laid out flat or by date. */
  fileIds?: number[];
  /** Aborted: the files being written are finished, no new one is started (the summary says `interrupted`). */
  signal?: AbortSignal;
}

/** One file written, linked, skipped or not. */
export interface ExportProblem {
  fileId: number;
  name: string;
  path: string;
  code: string;
  message: string;
}

/** What an export did. */
export interface ExportSummary {
  dest: string;
  layout: ExportLayout;
  files: number;
  written: number;
  linked: number;
  skipped: number;
  bytesWritten: number;
  failed: ExportProblem[];
  durationMs: number;
  /** Stopped early by its signal: the rest was not written (running it again continues). */
  interrupted?: boolean;
}

/** Progress of an export. */
export interface ExportProgress {
  done: number;
  total: number;
  bytes: number;
  current: string | null;
}

interface Entry {
  fileId: number;
  name: string;
  hash: string;
  size: number;
  mtimeMs: number | null;
  dir: string;
  /** A part of the file (RAW, XMP, live video), written beside it and named after it. */
  part?: true;
  /** Set during planning: the final relative path. */
  rel?: string;
}

/**
 * Export (issue #9): originals, byte-identical and verified, into DEST — one folder per album
 * (a file in several albums is written once and hard-linked into the others where the file
 * system allows, else copied), flat, or by date. Items with parts as every part: live photos'
 * videos, RAW+JPEG pairs' RAWs, XMP sidecars. Clashing names get
 * a deterministic " (2)" suffix in file-id order. Re-running skips files already exported with
 * the right hash; a partial file never has its final name.
 */
export class ExportService {
  /** `dateNow`: dates those of these files that have no capture date yet (CaptureDateService.dateNow). */
  constructor(private readonly ctx: EngineContext, private readonly watches: WatchStore, private readonly dateNow: (fileIds: number[]) => Promise<number>) {}

  /** Refuses a destination that is not a folder, or would loop: inside the library or inside a watched folder. */
  checkDestination(dest: string): string {
    const d = path.resolve(dest);
    refuseNotAFolder(d, 'export');
    refuseSystemTarget(d, 'export there'); // [Note: Nothing is written under /proc]
    const inside = (parent: string) => isSameOrInside(parent, d); // [Note: Same folder, whatever the path]
    if (inside(this.ctx.paths.root)) throw new ShoeboxError('PATH_INSIDE_LIBRARY', `${d} is inside the library (${this.ctx.paths.root}); export somewhere else.`);
    const w = this.watches.list().find((x) => inside(x.path));
    if (w) throw new ShoeboxError('CONFLICT', `${d} is inside the watched folder ${w.path}: the export would be backed up again, and again. Export somewhere else.`);
    refuseNotWritable(d, 'export');
    return d;
  }

  /** Plans the export: which files, under which relative paths. */
  plan(req: ExportRequest): Entry[] {
    const db = this.ctx.cdb.db;
    const albums = req.fileIds ? [] : this.selectAlbums(req);
    const entries: Entry[] = [];
    const seen = new Set<number>();
    const dateDir = (f: { takenAt: number | null; modifiedAt: number | null; createdAt: number }) => {
      const d = new Date(f.takenAt ?? f.modifiedAt ?? f.createdAt);
      return path.join(String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'));
    };
    const fileRows = db.prepare(
      `SELECT f.id AS fileId, f.name, f.blob_hash AS hash, f.size, f.modified_at AS mtimeMs, f.taken_at AS takenAt, f.modified_at AS modifiedAt, f.created_at AS createdAt
       FROM files f WHERE f.id = ?`,
    );
    type Row = { fileId: number; name: string; hash: string; size: number; mtimeMs: number | null; takenAt: number | null; modifiedAt: number | null; createdAt: number };
    const add = (fileId: number, albumDir: string) => {
      const f = fileRows.get(fileId) as Row;
      const dir = req.layout === 'albums' ? albumDir : req.layout === 'flat' ? (albumDir === 'Trash' ? 'Trash' : '') : path.join(albumDir === 'Trash' ? 'Trash' : '', dateDir(f));
      if (req.layout !== 'albums') {
        if (seen.has(fileId)) return; // flat and by-date: each file once
        seen.add(fileId);
      }
      entries.push({ fileId, name: f.name, hash: f.hash, size: f.size, mtimeMs: f.mtimeMs, dir });
      // Every part beside the main file: a live photo's video, a RAW, XMP sidecars ([Note: Item parts]).
      for (const p of this.ctx.catalog.parts.of(fileId)) entries.push({ fileId, name: p.name, hash: p.hash, size: p.size, mtimeMs: f.mtimeMs, dir, part: true });
    };
    const members = db.prepare('SELECT m.file_id AS id FROM memberships m JOIN files f ON f.id = m.file_id WHERE m.album_id = ? AND f.trashed_at IS NULL ORDER BY f.id');
    // one folder per album: names that become the same folder (".", "..", ".trip" and "_trip";
    // case; a user album "Trash" beside Trash's own folder) are numbered, in name order
    const folders = new Set<string>(req.includeTrash ? ['trash'] : []); // Trash's own folder, when it is exported
    const folderOf = new Map<number, string>();
    for (const a of albums) {
      const base = safeName(a.name);
      let dir = base;
      for (let n = 2; folders.has(dir.toLowerCase()); n++) dir = fitName(base, ` (${n})`);
      folders.add(dir.toLowerCase());
      folderOf.set(a.id, dir);
    }
    for (const a of albums) for (const { id } of members.all(a.id) as { id: number }[]) add(id, folderOf.get(a.id)!);
    const exists = db.prepare('SELECT 1 FROM files WHERE id = ?');
    for (const id of req.fileIds ?? []) {
      if (!exists.get(id)) throw new ShoeboxError('NOT_FOUND', `There is no file ${id} in the library.`);
      add(id, '');
    }
    if (req.includeTrash) for (const { id } of db.prepare('SELECT id FROM files WHERE trashed_at IS NOT NULL ORDER BY id').all() as { id: number }[]) add(id, 'Trash');
    return assignNames(entries);
  }

  private selectAlbums(req: ExportRequest): Array<{ id: number; name: string }> {
    const all = this.ctx.cdb.db.prepare(`SELECT id, name FROM albums ORDER BY kind = 'uncategorized', name`).all() as Array<{ id: number; name: string }>;
    if (req.all) return all;
    if (req.albums.length === 0 && !req.includeTrash) throw new ShoeboxError('USAGE', 'Name the albums to export, or use --all for every album.');
    return req.albums.map((name) => {
      const a = all.find((x) => x.name === name);
      if (!a) throw new ShoeboxError('NOT_FOUND', `There is no album named "${name}". \`shoebox albums\` lists them.`);
      return a;
    });
  }

  /** Runs an export; per-file problems are listed, a full destination disk stops it (resumable). */
  async export(req: ExportRequest, onProgress?: (p: ExportProgress) => void): Promise<ExportSummary> {
    const started = this.ctx.now();
    const dest = this.checkDestination(req.dest);
    let entries = this.plan({ ...req, dest });
    if (req.layout === 'by-date') {
      // Files are dated in the background after they are backed up: one not dated yet would go
      // under its modification or backup month, and under its real month at the next export.
      if ((await this.dateNow([...new Set(entries.map((e) => e.fileId))])) > 0) entries = this.plan({ ...req, dest });
    }
    const summary: ExportSummary = { dest, layout: req.layout, files: entries.length, written: 0, linked: 0, skipped: 0, bytesWritten: 0, failed: [], durationMs: 0 };
    const progress: ExportProgress = { done: 0, total: entries.length, bytes: 0, current: null };
    // First copies of each content first (in parallel), then the other copies; each time photos
    // before their parts, so that a part knows whether its photo was written. The other copies
    // are hard links to a copy that holds the content: never to a path whose existing file was
    // refused as a conflict (that file is someone else's; a link would give the photo its bytes).
    const firsts = new Set<Entry>();
    const seenHash = new Set<string>();
    for (const e of [...entries.filter((x) => !x.part), ...entries.filter((x) => x.part)]) {
      if (seenHash.has(e.hash)) continue;
      seenHash.add(e.hash);
      firsts.add(e);
    }
    const holds = new Map<string, string>(); // hash → an exported path now holding exactly those bytes
    const refused = new Map<string, string>(); // photo (file id, folder) whose place holds another file → its final name
    const photoKey = (e: Entry) => `${e.fileId}\0${e.dir}`;
    // A part whose place holds another file (a foreign `IMG_1.DNG` where the photo's RAW goes) keeps
    // its photo from being written too: beside it under its name, that file would be taken as its RAW.
    const partInTheWay = new Map<string, string>(); // photo key → the part's path
    const already = new Map<Entry, string>(); // a part whose place holds its bytes already (a run again) → that file's identity
    const parts = entries.filter((e) => e.part);
    const states = await inspectPlaces(this.ctx, parts.map((e) => ({ dest: path.join(dest, e.rel!), hash: e.hash, size: e.size })));
    for (const [i, e] of parts.entries()) {
      const s = states[i]!;
      if (s.kind === 'same') already.set(e, s.identity);
      else if (s.kind === 'other' && !partInTheWay.has(photoKey(e))) partInTheWay.set(photoKey(e), e.rel!);
    }
    let fatal: ShoeboxError | undefined;
    const run = (list: Entry[]) =>
      runQueue(list, async (e) => {
        const photo = e.part ? refused.get(photoKey(e)) : undefined;
        const inTheWay = e.part ? undefined : partInTheWay.get(photoKey(e));
        if (inTheWay !== undefined) {
          refused.set(photoKey(e), path.basename(e.rel!));
          summary.failed.push({ fileId: e.fileId, name: e.name, path: path.join(dest, e.rel!), code: 'CONFLICT', message: `${e.rel!} was not written: ${inTheWay}, where its RAW, XMP sidecar or video goes, is taken by another file (or a folder or link) that would be taken for this photo's (move it away and run the export again)` });
        } else if (photo !== undefined) {
          // Beside a stranger's file of its photo's name, a RAW or video would be paired with the wrong picture.
          summary.failed.push({ fileId: e.fileId, name: e.name, path: path.join(dest, e.rel!), code: 'CONFLICT', message: `${e.rel!} was not written: it goes with ${photo}, which was not written either (see ${photo}: what is in the way is named there)` });
        } else {
          const to = path.join(dest, e.rel!);
          const linkFrom = firsts.has(e) ? undefined : holds.get(e.hash);
          const sameAs = already.get(e);
          const r = await copyBlobOut(this.ctx, e.hash, { dest: to, mtimeMs: e.mtimeMs, onConflict: 'refuse', size: e.size, ...(linkFrom ? { linkFrom } : {}), ...(sameAs ? { sameAs } : {}) });
          this.tally(summary, e, r);
          if (r.kind === 'written' || r.kind === 'skipped' || r.kind === 'linked') {
            if (!holds.has(e.hash)) holds.set(e.hash, to);
          } else if (r.kind === 'conflict' && !e.part) refused.set(photoKey(e), path.basename(e.rel!));
          if (r.kind === 'failed' && r.code === 'DISK_FULL') fatal = new ShoeboxError('DISK_FULL', `The export destination (${dest}) is full. Free space and run the same command again: finished files are kept and skipped.`);
        }
        progress.done++;
        progress.bytes += e.size;
        progress.current = e.rel!;
        onProgress?.({ ...progress });
        injectFault('export-file');
      }, { concurrency: this.ctx.pool.concurrency, shouldStop: () => fatal !== undefined || req.signal?.aborted === true });
    const phases = [true, false].flatMap((first) => [false, true].map((part) => entries.filter((e) => firsts.has(e) === first && (e.part ?? false) === part)));
    for (const phase of phases) if (!fatal && !req.signal?.aborted) await run(phase);
    if (req.signal?.aborted) summary.interrupted = true;
    removeLeftoverParts(new Set(entries.map((e) => path.join(dest, path.dirname(e.rel!)))));
    summary.durationMs = this.ctx.now() - started;
    if (fatal) throw Object.assign(fatal, { summary });
    return summary;
  }

  private tally(s: ExportSummary, e: Entry, r: CopyOutResult): void {
    switch (r.kind) {
      case 'written':
        s.written++;
        s.bytesWritten += r.bytes;
        break;
      case 'linked':
        s.linked++;
        break;
      case 'skipped':
        s.skipped++;
        break;
      case 'conflict':
        s.failed.push({ fileId: e.fileId, name: e.name, path: r.path, code: 'CONFLICT', message: r.link
          ? `${r.path} is a symbolic link; it was not replaced, and nothing was written through it (move it away and run the export again to write ${e.name} there)`
          : `${r.path} already exists with other content; it was not overwritten (move it away and run the export again to write ${e.name} there)` });
        break;
      case 'failed':
        // Purged while the export ran (Trash emptied in another process or window): not damage.
        if (purgedMeanwhile(this.ctx, r, e.fileId)) {
          s.failed.push({ fileId: e.fileId, name: e.name, path: e.rel!, code: 'NOT_FOUND', message: `${e.name} (file ${e.fileId}) was deleted from the library (its Trash emptied) while the export ran; there is nothing to export` });
        } else {
          s.failed.push({ fileId: e.fileId, name: e.name, path: e.rel!, code: r.code, message: `${e.name} (file ${e.fileId}) ${r.message}` });
        }
    }
  }
}

/**
 * What follows the photo's stem in a part's exported name: its own (`P.jpg` with `P.CR2`,
 * `P.jpg.xmp`, `P.xmp` → `.CR2`, `.jpg.xmp`, `.xmp`). A part named after another photo (the kept
 * copy of a duplicate took the RAW or sidecar of a copy named otherwise) gets the form of its
 * kind, so that it is found beside this photo: `.xmp` after the photo's own extension for a
 * sidecar named so, else its extension.
 */
function partTail(partName: string, photo: { stem: string; ext: string }): string {
  if (photo.stem !== '' && partName.startsWith(`${photo.stem}.`)) return partName.slice(photo.stem.length);
  const { stem, ext } = splitExt(partName);
  if (ext.toLowerCase() === '.xmp' && splitExt(stem).ext !== '') return `${photo.ext}${ext}`; // X.jpg.xmp → P.jpg.xmp
  return ext;
}

/** Removes temp files an interrupted export left (they never carry a final name). */
function removeLeftoverParts(dirs: Set<string>): void {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = listDir(dir);
    } catch (err) {
      // A file where an album's folder should be: its photos failed (and are listed); no temp file can be in it.
      if (isErrno(err, 'ENOTDIR')) continue;
      // A folder that was never made (its photos failed, and are listed): nothing to clean up.
      if (isErrno(err, 'ENOENT', 'ENAMETOOLONG')) continue;
      throw err;
    }
    for (const n of names) if (/^\.shoebox-part[0-9a-f]{16}\.part$/.test(n)) fs.rmSync(path.join(dir, n), { force: true });
  }
}

/**
 * Final names: within each folder, names that clash (ignoring case, for case-insensitive file
 * systems), and photos of different items with one stem, are numbered " (2)", " (3)"… in
 * file-id order, so re-running gives the same names. A
 * file's parts (its RAW, XMP sidecars, live video) follow its final name: when `P.jpg` is
 * written as `P (2).jpg`, its `P.CR2` and `P.jpg.xmp` become `P (2).CR2` and `P (2).jpg.xmp`,
 * never the names of another photo's parts.
 */
export function assignNames<T extends { fileId: number; name: string; dir: string; part?: true; rel?: string }>(entries: T[]): T[] {
  const byDir = new Map<string, T[]>();
  for (const e of entries) (byDir.get(e.dir) ?? byDir.set(e.dir, []).get(e.dir)!).push(e);
  for (const [dir, list] of byDir) {
    const used = new Set<string>();
    const stems = new Map<string, number>(); // a photo's final stem → its file
    // Each file before its parts, so that they can follow the name it got.
    const sorted = [...list].sort((a, b) => a.fileId - b.fileId || Number(a.part ?? false) - Number(b.part ?? false) || a.name.localeCompare(b.name));
    let photo: { fileId: number; stem: string; ext: string; finalStem: string } | undefined;
    for (const e of sorted) {
      let name = safeName(e.name);
      if (e.part && photo?.fileId === e.fileId) name = fitName(photo.finalStem, safeChars(partTail(e.name, photo)));
      const { stem, ext } = splitExt(name);
      // Two items may not share a stem either: `P.CR2` of one beside `P.jpg` of another, or
      // `IMG_1.MOV` beside another's `IMG_1.jpg`, would be taken for one RAW+JPEG pair or live
      // photo when the export is brought in again.
      const taken = (n: string) => used.has(n.toLowerCase()) || (!e.part && (stems.get(splitExt(n).stem.toLowerCase()) ?? e.fileId) !== e.fileId);
      for (let n = 2; taken(name); n++) name = fitName(stem, ` (${n})${ext}`);
      used.add(name.toLowerCase());
      e.rel = path.join(dir, name);
      if (!e.part) {
        photo = { fileId: e.fileId, stem: splitExt(e.name).stem, ext: splitExt(name).ext, finalStem: splitExt(name).stem };
        stems.set(photo.finalStem.toLowerCase(), e.fileId);
      }
    }
  }
  return entries;
}
