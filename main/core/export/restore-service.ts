import path from 'node:path';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import { isSameOrInside } from '../library/path-identity.js';
import { copyBlobOut } from './copy-blob-out.js';
import { besideName, holdsOther } from './copy-out.js';
import { fitName, splitExt } from './file-names.js';
import { refuseNotAFolder, refuseNotWritable } from '../not-a-folder.js';
import { refuseKernelFolderTarget } from '../system-folders.js';
import { runQueue } from '../work-queue.js';

/** What a restore did. */
export interface RestoreSummary {
  watchPath: string;
  to: string;
  files: number;
  written: number;
  skipped: number;
  /** Different files found where a photo belonged: the photo was written beside them. */
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
  refuseKernelFolderTarget(target, 'restore there'); // [Note: Nothing is written under /proc]
  if (isSameOrInside(lib, target)) throw new ShoeboxError('PATH_INSIDE_LIBRARY', `${target} is inside the library; restore somewhere else.`);
  refuseNotWritable(target, 'restore');
  const records = ctx.cdb.db
    .prepare(
      `SELECT path, hash, mtimeMs, earlier, fileId, photoHash FROM (
         SELECT s.path, s.hash, s.mtime_ms AS mtimeMs, 0 AS earlier, f.id AS fileId, f.blob_hash AS photoHash FROM source_records s JOIN files f ON f.id = s.file_id JOIN blobs b ON b.hash = s.hash
         WHERE (s.path >= @lo AND s.path < @hi) AND f.trashed_at IS NULL GROUP BY s.path
         UNION ALL
         -- an earlier version whose newer one was deleted from the library, where no live file
         -- holds its path ([Note: Where an earlier version came from])
         SELECT f.source_path AS path, f.blob_hash AS hash, f.modified_at AS mtimeMs, 1 AS earlier, f.id AS fileId, f.blob_hash AS photoHash FROM (
           SELECT MAX(v.id) AS id FROM files v
           WHERE v.source_path >= @lo AND v.source_path < @hi AND v.trashed_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM files n WHERE n.previous_version_id = v.id AND n.trashed_at IS NULL)
           GROUP BY v.source_path
         ) newest JOIN files f ON f.id = newest.id JOIN blobs b ON b.hash = f.blob_hash
         WHERE NOT EXISTS (SELECT 1 FROM source_records s JOIN files g ON g.id = s.file_id WHERE s.path = f.source_path AND g.trashed_at IS NULL)
       ) ORDER BY path`,
    )
    .all({ lo: `${root}/`, hi: `${root}0` }) as Array<{ path: string; hash: string; mtimeMs: number; earlier: 0 | 1; fileId: number; photoHash: string }>;
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
  // records whose content is not their file's photo). A photo written beside a different file of
  // its name takes its parts along under the same new name: `P (restored 1a2b3c4d).jpg` with
  // `P (restored 1a2b3c4d).CR2`, never a RAW left beside someone else's `P.jpg`.
  const movedTo = new Map<string, { from: string; to: string }>(); // file id + folder → the photo's stem and its new stem
  const photoKey = (r: { fileId: number; path: string }) => `${r.fileId}\0${path.dirname(r.path)}`;
  const stemOf = (p: string) => splitExt(path.basename(p)).stem;
  const destOf = (r: (typeof records)[number]): string => {
    const dest = path.join(target, path.relative(root, r.path));
    const photo = r.hash === r.photoHash ? undefined : movedTo.get(photoKey(r));
    if (!photo) return dest;
    const name = path.basename(dest);
    const rest = name.startsWith(`${photo.from}.`) ? name.slice(photo.from.length) : splitExt(name).ext;
    return path.join(path.dirname(dest), fitName(photo.to, rest));
  };
  const phases = [records.filter((r) => r.hash === r.photoHash), records.filter((r) => r.hash !== r.photoHash)];
  // A part whose place holds a different file (a foreign `IMG_1.DNG` where the photo's RAW goes)
  // moves its whole item beside it too: the photo at its own name would be paired with that file.
  const partClashes = new Map<string, string>(); // photo key → the foreign file in the way
  for (const r of phases[1]!) if (!partClashes.has(photoKey(r)) && holdsOther(destOf(r), r.hash)) partClashes.set(photoKey(r), destOf(r));
  for (const phase of phases) {
    if (full || signal?.aborted) break;
    await runQueue(phase, async (r) => {
      const clash = r.hash === r.photoHash ? partClashes.get(photoKey(r)) : undefined;
      const dest = clash ? besideName(destOf(r), r.hash) : destOf(r);
      const res = await copyBlobOut(ctx, r.hash, { dest, mtimeMs: r.mtimeMs, onConflict: 'beside' });
      if (clash && (res.kind === 'written' || res.kind === 'skipped' || res.kind === 'linked')) {
        movedTo.set(photoKey(r), { from: stemOf(destOf(r)), to: stemOf(dest) });
        summary.beside.push({ path: clash, wroteBeside: dest });
        if (res.kind === 'written') {
          summary.written++;
          summary.bytesWritten += res.bytes;
        } else summary.skipped++;
        onProgress?.(++done, records.length, summary.bytesWritten);
        return;
      }
      if (res.kind === 'conflict' && res.wroteBeside && r.hash === r.photoHash) movedTo.set(photoKey(r), { from: stemOf(dest), to: stemOf(res.wroteBeside) });
      if (res.kind === 'written') {
        summary.written++;
        summary.bytesWritten += res.bytes;
      } else if (res.kind === 'skipped' || res.kind === 'linked') summary.skipped++;
      else if (res.kind === 'conflict') summary.beside.push({ path: res.path, wroteBeside: res.wroteBeside ?? '' });
      else if (res.code === 'DISK_FULL') full ??= new ShoeboxError('DISK_FULL', `The restore destination (${target}) is full. Free space and run the same command again: finished files are kept and skipped.`);
      else if (res.blob === 'missing' && ctx.cdb.db.prepare('SELECT 1 FROM files WHERE id = ?').get(r.fileId) === undefined) {
        summary.failed.push({ path: dest, code: 'NOT_FOUND', message: `${path.basename(dest)} was deleted from the library (its Trash emptied) while the restore ran; there is nothing to write` });
      } else summary.failed.push({ path: dest, code: res.code, message: `${path.basename(dest)} ${res.message}` });
      onProgress?.(++done, records.length, summary.bytesWritten);
    }, { concurrency: ctx.pool.concurrency, shouldStop: () => full !== undefined || signal?.aborted === true });
  }
  if (full) throw Object.assign(full, { summary });
  if (signal?.aborted) summary.interrupted = true;
  return summary;
}
