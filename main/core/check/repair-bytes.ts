import fs from 'node:fs';
import { recordBlobState, setBlobState } from '../blobs/blob-health.js';
import { takeBackFromQuarantine } from '../blobs/quarantine.js';
import type { EngineContext } from '../engine-context.js';
import type { CheckReport, LibraryProblem } from './library-check.js';

/** Stores a blob again from a source file with exactly those bytes; damaged bytes in the way are moved aside into `damaged/`. */
export type RestoreBlob = (hash: string, sourcePath: string, replaceDamaged: boolean) => Promise<{ ok: boolean; movedAside: string | null }>;

/**
 * Repairs missing or damaged stored bytes without losing anything: a missing blob is taken back
 * from quarantine, else stored again from a source file that still has exactly those bytes; a
 * damaged one is replaced from such a source, its damaged file moved into `damaged/` (never
 * deleted). Returns what was done, or why nothing could be (the problem stays).
 */
export async function repairBytes(ctx: EngineContext, p: LibraryProblem, restoreBlob: RestoreBlob): Promise<{ done: string } | { why: string }> {
  const hash = p.hash!;
  const db = ctx.cdb.db;
  const size = (db.prepare('SELECT size FROM blobs WHERE hash = ?').get(hash) as { size: number }).size;
  if (p.kind === 'blob-missing' && ctx.cdb.write(() => takeBackFromQuarantine(ctx.paths.objects, ctx.paths.quarantine, hash, size))) {
    recordBlobState(ctx.cdb, hash, 'ok', ctx.now());
    return { done: `${p.message}: found in quarantine and put back` };
  }
  // Every path these bytes are known to have come from: the source records, those of files in
  // Trash ([Note: Source records in Trash]), and where earlier versions were backed up from.
  // restoreBlob stores nothing but exactly these bytes, so a stale path costs only a read.
  const sources = db
    .prepare(
      `SELECT path, watch_id IS NOT NULL AS watched FROM source_records WHERE hash = @h
       UNION SELECT path, 0 FROM trashed_sources WHERE hash = @h
       UNION SELECT source_path, 0 FROM files WHERE blob_hash = @h AND source_path IS NOT NULL`,
    )
    .all({ h: hash }) as { path: string; watched: 0 | 1 }[];
  let gone = 0;
  let goneWatched = false;
  for (const s of sources) {
    if (!fs.existsSync(s.path)) {
      gone++;
      goneWatched ||= s.watched === 1;
      continue;
    }
    const r = await restoreBlob(hash, s.path, p.kind !== 'blob-missing');
    if (!r.ok) continue;
    recordBlobState(ctx.cdb, hash, 'ok', ctx.now(), true);
    const aside = r.movedAside ? `the damaged file was moved to ${r.movedAside}; ` : '';
    return { done: `${p.message}: ${aside}stored again from ${s.path}` };
  }
  // A watched file that was moved or renamed: the watch finds it and stores its bytes again as it follows the move.
  const moved = goneWatched ? 'if it was moved or renamed inside its watched folder, `shoebox run` follows the move and stores its bytes again; ' : '';
  const again = `${moved}if you still have the original elsewhere, back it up again (\`shoebox upload FILE\`) and the library takes its bytes`;
  if (sources.length === 0) return { why: `no file it was backed up from is on record (it came from an archive or a browser upload); ${again}` };
  const changed = sources.length - gone;
  const seen = [gone ? `${gone} gone` : '', changed ? `${changed} changed since` : ''].filter(Boolean).join(', ');
  const which = sources.length === 1 ? 'the file it was backed up from no longer has' : `none of the ${sources.length} files it was backed up from still has`;
  return { why: `${which} exactly these bytes (${seen}: ${sources[0]!.path}${sources.length > 1 ? ', …' : ''}); ${again}` };
}

/**
 * Brings the health marks ([Note: Blob health marks]) in line with what a check found: its
 * missing and damaged blobs are marked, every other marked blob is cleared of "missing" (its
 * file was there) and, when its bytes were re-read whole (every byte, or the ones marked), of
 * "damaged" too.
 */
export function recordCheckFindings(ctx: EngineContext, report: CheckReport, readData: boolean): void {
  const found = new Map<string, 'missing' | 'damaged'>();
  for (const p of report.problems) {
    if (p.kind === 'blob-missing') found.set(p.hash!, 'missing');
    else if (p.kind === 'blob-size' || p.kind === 'blob-corrupt' || p.kind === 'blob-link') found.set(p.hash!, 'damaged');
  }
  const now = ctx.now();
  const db = ctx.cdb.db;
  const whole = new Set(report.wholeAgain);
  ctx.cdb.write(() => {
    for (const { hash } of db.prepare('SELECT hash FROM blobs WHERE missing_at IS NOT NULL OR damaged_at IS NOT NULL').all() as { hash: string }[]) {
      if (!found.has(hash)) setBlobState(db, hash, 'ok', now, readData || whole.has(hash));
    }
    for (const [hash, state] of found) setBlobState(db, hash, state, now);
  });
}
