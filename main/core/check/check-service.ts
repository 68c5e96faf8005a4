import { collectStrayBlobs } from '../blobs/blob-gc.js';
import { QUARANTINE_DAYS } from '../blobs/quarantine.js';
import { recountTimelineDays } from '../catalog/timeline-catalog.js';
import { formatBytes } from '../format.js';
import type { EngineContext } from '../engine-context.js';
import { checkLibrary, type CheckReport, type LibraryProblem } from './library-check.js';
import { recordCheckFindings, repairBytes, type RestoreBlob } from './repair-bytes.js';

/** What `check --repair` did about each kind of problem. */
export interface RepairReport {
  fixed: string[];
  /** Problems that cannot be fixed without losing something: the user decides. */
  remaining: LibraryProblem[];
}

/** What each problem means for a person (for the report). */
export const MEANING: Record<LibraryProblem['kind'], string> = {
  integrity: 'the catalog file itself is damaged; make a copy of the library folder before anything else',
  'blob-missing': 'these photos\' bytes are gone from the library; if the originals still exist, backing them up again restores them',
  'blob-corrupt': 'these photos\' stored bytes changed on disk (disk or memory fault); an original still on disk can replace them',
  'blob-size': 'these photos\' stored bytes have the wrong length (damaged)',
  'blob-link': 'these photos\' stored bytes were replaced by a link to a file elsewhere (a deduplicating tool such as rdfind or jdupes does that): the library holds no copy of them; an original still on disk can store them again (the link is kept aside in damaged/)',
  'blob-unreadable': 'Shoebox may not read these stored bytes: give the library folder back to the user who runs Shoebox (`chown -R` / `chmod -R u+rwX` on it), or run Shoebox as its owner; if the disk reported an error, check the disk. Nothing was changed',
  'file-without-blob-row': 'the catalog lists files whose bytes it does not know',
  'membership-dangling': 'an album lists a file that does not exist (harmless; repair removes the entry)',
  'live-file-in-no-album': 'a file is in no album, not even Uncategorized (repair puts it in Uncategorized)',
  'uncategorized-not-orphan': 'a file is in Uncategorized and in an album (repair takes it out of Uncategorized)',
  'trashed-in-album': 'a file in Trash still shows in an album (repair takes it out, remembering the album for restore)',
  'source-dangling': 'a backed-up source points at a file that no longer exists (repair forgets it; the source is backed up again next sync)',
  'duplicate-index': 'the duplicate index is out of date (repair recounts)',
  'timeline-index': "the timeline's day index is out of date (repair recounts)",
};

/**
 * `shoebox check [--read-data] [--repair]` (issue #9). Repair fixes only what can be fixed
 * without losing anything: album bookkeeping, stale records and indexes, stray blobs; and
 * missing or damaged blobs *when a source file with exactly those bytes still exists* (it is
 * read again, verified, and stored). Everything else is reported with the photos it affects.
 */
export async function checkAndRepair(
  ctx: EngineContext,
  opts: { readData: boolean; repair: boolean; restoreBlob: RestoreBlob; beforeRepair?: () => Promise<unknown> },
): Promise<{ report: CheckReport; repair: RepairReport | null }> {
  // A damaged catalog throws here (LIBRARY_CORRUPT): nothing is checked or repaired on it ([Note: A damaged catalog]).
  const report = checkLibrary(ctx.cdb, ctx.paths.objects, { readData: opts.readData, quarantineDir: ctx.paths.quarantine, procsDir: ctx.paths.procs });
  const sound = !report.problems.some((p) => p.kind === 'integrity');
  if (sound) recordCheckFindings(ctx, report, opts.readData); // so status shows what check found
  if (!opts.repair) return { report, repair: null };
  if (report.problems.length > 0 || report.strayBlobs > 0) await opts.beforeRepair?.(); // a catalog snapshot ([Note: Catalog snapshots])
  const db = ctx.cdb.db;
  const fixed: string[] = [];
  const remaining: LibraryProblem[] = [];
  for (const p of report.problems) {
    switch (p.kind) {
      case 'membership-dangling':
        ctx.cdb.write(() => db.prepare('DELETE FROM memberships WHERE file_id = ? AND NOT EXISTS (SELECT 1 FROM files WHERE id = ?)').run(p.fileIds![0], p.fileIds![0]));
        fixed.push(p.message);
        break;
      case 'live-file-in-no-album':
      case 'uncategorized-not-orphan':
        ctx.cdb.write(() => ctx.catalog.settleUncategorized(p.fileIds![0]!));
        fixed.push(p.message);
        break;
      case 'trashed-in-album':
        ctx.cdb.write(() => {
          db.prepare('INSERT OR IGNORE INTO trash_memberships (file_id, album_id, added_at) SELECT file_id, album_id, added_at FROM memberships WHERE file_id = ?').run(p.fileIds![0]);
          db.prepare('DELETE FROM memberships WHERE file_id = ?').run(p.fileIds![0]);
        });
        fixed.push(p.message);
        break;
      case 'source-dangling':
        ctx.cdb.write(() => db.prepare('DELETE FROM source_records WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = source_records.file_id)').run());
        fixed.push(p.message);
        break;
      case 'duplicate-index':
        ctx.cdb.write(() => db.prepare('UPDATE blobs SET live_files = (SELECT COUNT(*) FROM files f WHERE f.blob_hash = blobs.hash AND f.trashed_at IS NULL) WHERE hash = ?').run(p.hash));
        fixed.push(p.message);
        break;
      case 'timeline-index':
        ctx.cdb.write(() => recountTimelineDays(db));
        fixed.push(p.message);
        break;
      case 'blob-missing':
      case 'blob-corrupt':
      case 'blob-size':
      case 'blob-link': {
        const r = await repairBytes(ctx, p, opts.restoreBlob);
        if ('done' in r) fixed.push(r.done);
        else remaining.push({ ...p, why: r.why });
        break;
      }
      default:
        remaining.push(p);
    }
  }
  if (report.strayBlobs > 0 || report.quarantined > 0) {
    const r = collectStrayBlobs(ctx.cdb, ctx.paths, ctx.log, ctx.now());
    if (r.blockedBy !== null) {
      remaining.push({ kind: 'integrity', message: `stray blob files were left where they are: the catalog failed its integrity check, so no lookup in it can be trusted to say a blob is unreferenced` });
    } else {
      if (r.quarantined > 0) fixed.push(`moved ${r.quarantined} stray blob file(s) that no catalog row referenced (${formatBytes(r.bytes)}) into ${ctx.paths.quarantine}; they are removed after ${QUARANTINE_DAYS} days, and an upload of the same bytes takes them back`);
      if (r.takenBack > 0) fixed.push(`took ${r.takenBack} blob file(s) the catalog names again back from quarantine`);
    }
  }
  return { report, repair: { fixed, remaining } };
}
