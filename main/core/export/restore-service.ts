import path from 'node:path';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import { isSameOrInside } from '../library/path-identity.js';
import { copyBlobOut, inspectPlaces, purgedMeanwhile } from './copy-blob-out.js';
import type { PlaceState } from './copy-out.js';
import { fitName, splitExt } from './file-names.js';
import { refuseNotAFolder, refuseNotWritable } from '../not-a-folder.js';
import { refuseSystemTarget } from '../system-folders.js';
import { runQueue } from '../work-queue.js';

/** What a restore did. */
export interface RestoreSummary {
  watchPath: string;
  to: string;
  files: number;
  written: number;
  skipped: number;
  /** Something else (a file, folder or link) found where a photo or one of its parts belonged: the item was written beside it, under one new stem. Not counted in `written`; a run again counts them as `skipped`. */
  beside: Array<{ path: string; wroteBeside: string }>;
  failed: Array<{ path: string; code: string; message: string }>;
  bytesWritten: number;
  /** Of `files`, those that are the version before a newer one you deleted from the library (in Trash, or purged): that is what is written at their path. */
  earlierVersions: number;
  /** Files once backed up from under the folder that are in Trash now (moved there by you, or by Similar images or Duplicates): not written. */
  inTrash: number;
  /** Stopped early by its signal: the rest was not written (running it again continues). */
  interrupted?: boolean;
}

/**
 * Restore after a disk loss (issue #9): re-creates a watched folder's tree from the library —
 * every source path the catalog recorded under it, with its latest backed-up content (the
 * record's hash: a live photo's video gets its own bytes) and mtime. An existing identical file
 * is skipped; an existing different file is never overwritten: the photo is written beside it.
 * Files the user deleted from the library are not brought back. Where the user deleted a
 * newer version (Trash, or purged since), the version before it, still in the library, is
 * written at its path; not where the newer version is live (the file was deleted on disk).
 */
export async function restoreWatch(ctx: EngineContext, watchPath: string, to: string | undefined, onProgress?: (done: number, total: number, bytes: number) => void, signal?: AbortSignal): Promise<RestoreSummary> {
  const root = path.resolve(watchPath);
  const target = path.resolve(to ?? root);
  const lib = ctx.paths.root;
  refuseNotAFolder(target, 'restore');
  refuseSystemTarget(target, 'restore there'); // [Note: Nothing is written under /proc]
  if (isSameOrInside(lib, target)) throw new ShoeboxError('PATH_INSIDE_LIBRARY', `${target} is inside the library; restore somewhere else.`);
  refuseNotWritable(target, 'restore');
  const records = ctx.cdb.db
    .prepare(
      `SELECT path, hash, size, mtimeMs, earlier, fileId, photoHash FROM (
         SELECT s.path, s.hash, b.size, s.mtime_ms AS mtimeMs, 0 AS earlier, f.id AS fileId, f.blob_hash AS photoHash FROM source_records s JOIN files f ON f.id = s.file_id JOIN blobs b ON b.hash = s.hash
         WHERE (s.path >= @lo AND s.path < @hi) AND f.trashed_at IS NULL GROUP BY s.path
         UNION ALL
         -- an earlier version whose newer one was deleted from the library, where no live file
         -- holds its path ([Note: Where an earlier version came from])
         SELECT f.source_path AS path, f.blob_hash AS hash, b.size, f.modified_at AS mtimeMs, 1 AS earlier, f.id AS fileId, f.blob_hash AS photoHash FROM (
           SELECT MAX(v.id) AS id FROM files v
           WHERE v.source_path >= @lo AND v.source_path < @hi AND v.trashed_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM files n WHERE n.previous_version_id = v.id AND n.trashed_at IS NULL)
           GROUP BY v.source_path
         ) newest JOIN files f ON f.id = newest.id JOIN blobs b ON b.hash = f.blob_hash
         WHERE NOT EXISTS (SELECT 1 FROM source_records s JOIN files g ON g.id = s.file_id WHERE s.path = f.source_path AND g.trashed_at IS NULL)
       ) ORDER BY path`,
    )
    .all({ lo: `${root}/`, hi: `${root}0` }) as Array<{ path: string; hash: string; size: number; mtimeMs: number; earlier: 0 | 1; fileId: number; photoHash: string }>;
  // Paths whose file is in Trash and that nothing else is written at.
  const written = new Set(records.map((r) => r.path));
  const trashedPaths = (ctx.cdb.db.prepare('SELECT DISTINCT path FROM trashed_sources WHERE path >= ? AND path < ?').pluck().all(`${root}/`, `${root}0`) as string[]).filter((p) => !written.has(p));
  if (records.length === 0) {
    const inTrash = (ctx.cdb.db.prepare('SELECT COUNT(DISTINCT file_id) AS n FROM trashed_sources WHERE path >= ? AND path < ?').get(`${root}/`, `${root}0`) as { n: number }).n;
    if (inTrash > 0) throw new ShoeboxError('NOT_FOUND', `Every file the library has from ${root} is in Trash (${inTrash}). \`shoebox trash ls\` lists them and \`shoebox trash restore ID…\` brings them back; restore then writes them.`);
    throw new ShoeboxError('NOT_FOUND', `The library has no files recorded from ${root}. \`shoebox watch ls\` lists watched folders; restore takes a watched or uploaded folder, a folder inside one, or a folder holding them.`);
  }
  const summary: RestoreSummary = { watchPath: root, to: target, files: records.length, written: 0, skipped: 0, beside: [], failed: [], bytesWritten: 0, earlierVersions: records.filter((r) => r.earlier === 1).length, inTrash: trashedPaths.length };
  let done = 0;
  // A full destination stops the restore, as it does an export: every file after would fail the same way.
  let full: ShoeboxError | undefined;
  // [Note: A restored item stays together] Photos first, then their parts (RAW, XMP, live video:
  // records whose content is not their file's photo). Where the photo's place, or one of its
  // parts' places, holds something else (another file, a folder, a link), the whole item goes
  // under the first new stem where the photo and every part are free (or already hold their
  // bytes: a run again): `P (restored 1a2b3c4d).jpg` with `P (restored 1a2b3c4d).CR2`, then
  // `P (restored 1a2b3c4d 2)`… Never a RAW or video left beside someone else's `P.jpg`, nor a
  // photo beside someone else's RAW or video under its name.
  type Row = (typeof records)[number];
  const movedTo = new Map<string, { from: string; to: string }>(); // file id + folder → the photo's stem and its new stem
  const photoKey = (r: { fileId: number; path: string }) => `${r.fileId}\0${path.dirname(r.path)}`;
  const stemOf = (p: string) => splitExt(path.basename(p)).stem;
  const placeOf = (r: Row) => path.join(target, path.relative(root, r.path));
  /** A part's place once its photo's stem went from `from` to `to`. */
  const under = (dest: string, stems: { from: string; to: string }): string => {
    const name = path.basename(dest);
    const rest = name.startsWith(`${stems.from}.`) ? name.slice(stems.from.length) : splitExt(name).ext;
    return path.join(path.dirname(dest), fitName(stems.to, rest));
  };
  const destOf = (r: Row): string => {
    const photo = r.hash === r.photoHash ? undefined : movedTo.get(photoKey(r));
    return photo ? under(placeOf(r), photo) : placeOf(r);
  };
  const phases = [records.filter((r) => r.hash === r.photoHash), records.filter((r) => r.hash !== r.photoHash)];
  const partsOf = new Map<string, Row[]>();
  for (const r of phases[1]!) partsOf.set(photoKey(r), [...(partsOf.get(photoKey(r)) ?? []), r]);
  const already = new Map<Row, string>(); // a file whose place holds its bytes already (a run again) → that file's identity
  /** What is at the places of a photo (at `dest`) and its parts (under `stems`, once the photo was moved to a new stem); files already there noted. */
  const look = async (photo: Row, dest: string, parts: Row[], stems?: { from: string; to: string }): Promise<PlaceState[]> => {
    const at = [dest, ...parts.map((p) => (stems ? under(placeOf(p), stems) : placeOf(p)))];
    const rows = [photo, ...parts];
    const states = await inspectPlaces(ctx, rows.map((r, i) => ({ dest: at[i]!, hash: r.hash, size: r.size })));
    for (const [i, s] of states.entries()) {
      if (s.kind === 'same') already.set(rows[i]!, s.identity);
      else already.delete(rows[i]!); // a stem looked at before this one
    }
    return states;
  };
  /** Where a photo goes, and what is in the way of its own place (null: nothing). */
  const placeItem = async (photo: Row): Promise<{ dest: string; inTheWay: string | null }> => {
    const own = placeOf(photo);
    const parts = partsOf.get(photoKey(photo)) ?? [];
    const states = await look(photo, own, parts);
    const other = states.findIndex((s) => s.kind === 'other');
    if (other < 0) return { dest: own, inTheWay: null };
    const inTheWay = other === 0 ? own : placeOf(parts[other - 1]!);
    const { stem, ext } = splitExt(path.basename(own));
    for (let n = 1; ; n++) {
      const dest = path.join(path.dirname(own), fitName(stem, ` (restored ${photo.hash.slice(0, 8)}${n > 1 ? ` ${n}` : ''})${ext}`));
      if ((await look(photo, dest, parts, { from: stemOf(own), to: stemOf(dest) })).every((s) => s.kind !== 'other')) return { dest, inTheWay };
    }
  };
  for (const phase of phases) {
    if (full || signal?.aborted) break;
    await runQueue(phase, async (r) => {
      const isPhoto = r.hash === r.photoHash;
      const { dest, inTheWay } = isPhoto ? await placeItem(r) : { dest: destOf(r), inTheWay: null };
      if (inTheWay !== null) movedTo.set(photoKey(r), { from: stemOf(placeOf(r)), to: stemOf(dest) });
      const sameAs = already.get(r);
      const res = await copyBlobOut(ctx, r.hash, { dest, mtimeMs: r.mtimeMs, onConflict: 'beside', size: r.size, ...(sameAs ? { sameAs } : {}) });
      // Every file counts once: written, already there, written beside what is in the way, or failed.
      if (res.kind === 'written') {
        summary.bytesWritten += res.bytes;
        if (inTheWay !== null) summary.beside.push({ path: inTheWay, wroteBeside: dest });
        else summary.written++;
      } else if (res.kind === 'skipped' || res.kind === 'linked') summary.skipped++;
      else if (res.kind === 'conflict') {
        // something appeared at its place meanwhile: written beside that (its parts follow)
        if (isPhoto && res.wroteBeside) movedTo.set(photoKey(r), { from: stemOf(placeOf(r)), to: stemOf(res.wroteBeside) });
        summary.beside.push({ path: res.path, wroteBeside: res.wroteBeside ?? '' });
      } else if (res.code === 'DISK_FULL') full ??= new ShoeboxError('DISK_FULL', `The restore destination (${target}) is full. Free space and run the same command again: finished files are kept and skipped.`);
      else if (purgedMeanwhile(ctx, res, r.fileId)) {
        summary.failed.push({ path: dest, code: 'NOT_FOUND', message: `${path.basename(dest)} was deleted from the library (its Trash emptied) while the restore ran; there is nothing to write` });
      } else summary.failed.push({ path: dest, code: res.code, message: `${path.basename(dest)} ${res.message}` });
      onProgress?.(++done, records.length, summary.bytesWritten);
    }, { concurrency: ctx.pool.concurrency, shouldStop: () => full !== undefined || signal?.aborted === true });
  }
  if (full) throw Object.assign(full, { summary });
  if (signal?.aborted) summary.interrupted = true;
  return summary;
}
