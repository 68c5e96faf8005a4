import { recoverCommand, reportError, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import type { ShoeboxError } from '../../core/errors.js';
import { libraryPaths, resolveLibraryDir } from '../../core/library/library-location.js';
import { diagnoseCatalog } from '../../core/catalog/catalog-diagnosis.js';
import { describeBase, recoverCatalog } from '../../core/catalog/catalog-recovery.js';
import { formatBytes, plural, printable, jsonText } from '../../core/format.js';

/**
 * `shoebox check` on a damaged catalog (see [Note: A damaged catalog]): says what is wrong in
 * plain words, what is safe, which snapshots there are and exactly what to run. Exit code 5.
 */
export function describeCatalogDamage(io: CliIO, g: GlobalOptions, err: ShoeboxError): number {
  const libraryDir = resolveLibraryDir(g.library, io.env);
  const paths = libraryPaths(libraryDir);
  const d = diagnoseCatalog(paths);
  const run = recoverCommand(g, libraryDir);
  if (g.json) {
    io.stdout.write(`${jsonText({ error: err.toJSON(), catalog: d })}\n`);
    return ExitCode.library;
  }
  const summary = d.state === 'healthy' ? err.userMessage : `${d.summary}.`;
  const newest = d.snapshots[0];
  io.stdout.write(
    `The library catalog ${d.catalog} is damaged: ${summary}\n` +
      (d.details.length > 0 && d.state === 'damaged' && !summary.includes(d.details[0]!.slice(0, 160)) ? `  SQLite says: ${d.details.slice(0, 3).map((l) => printable(l)).join(' | ')}\n` : '') +
      `Your photos' bytes are not in the catalog: ${plural(d.storedFiles, 'stored file')} ${d.storedFiles === 1 ? 'is' : 'are'} safe in ${paths.objects}.\n` +
      (d.indexesOnly
        ? 'Only indexes are damaged: recovery rebuilds them from the data and loses nothing.\n'
        : newest
          ? `Snapshots: ${d.snapshots.length}, the newest from ${new Date(newest.takenAt).toISOString()} (${newest.kind}, ${formatBytes(newest.bytes)}).\n`
          : 'There is no snapshot yet: recovery rebuilds the catalog from the stored files, named from whatever the damaged catalog still tells; albums are lost.\n') +
      `What to do: run \`${run}\`. It keeps the damaged catalog in ${paths.damaged}, ` +
      (d.indexesOnly ? 'rebuilds the indexes' : newest ? 'restores the newest snapshot that passes its check, and brings back every photo stored since then (in Uncategorized)' : 'and makes every stored file a photo in Uncategorized') +
      '; nothing in objects/ is deleted.\n',
  );
  return ExitCode.library;
}

/** `shoebox check --recover`: rebuilds a damaged catalog and reports what came back and what was lost. */
export async function runRecover(io: CliIO, g: GlobalOptions): Promise<number> {
  try {
    const libraryDir = resolveLibraryDir(g.library, io.env);
    const r = await recoverCatalog(libraryPaths(libraryDir));
    if (g.json) {
      io.stdout.write(`${jsonText(r)}\n`);
    } else if (!r.recovered) {
      io.stdout.write(`Nothing to recover in ${libraryDir}: ${r.nothingToDo}. (\`shoebox check\` checks the rest of the library.)\n`);
    } else {
      io.stdout.write(recoveryText(libraryDir, r));
    }
    return r.replay && r.replay.withoutBytes.length > 0 ? ExitCode.library : ExitCode.ok;
  } catch (err) {
    return reportError(io, g, err);
  }
}

function recoveryText(libraryDir: string, r: Awaited<ReturnType<typeof recoverCatalog>>): string {
  const p = r.replay!;
  const since = r.base.kind === 'snapshot' ? ' since the snapshot' : '';
  const lines = [`Recovered the catalog of ${libraryDir}: ${describeBase(r.base)}.`];
  if (r.base.kind !== 'empty') lines.push(`  ✓ ${plural(p.filesKept, 'file')} as they were${r.base.kind === 'snapshot' ? ' at the snapshot' : ''}`);
  if (p.replayed > 0) {
    const named = p.namedFromCatalog + p.namedFromSource;
    lines.push(
      `  ✓ ${plural(p.replayed, 'stored file')} the ${r.base.kind === 'empty' ? 'new' : 'restored'} catalog did not know ${p.replayed === 1 ? 'is' : 'are'} back in Uncategorized ` +
        `(${named} with their names${p.namedByHash ? `, ${p.namedByHash} named after their content` : ''}; e.g. ${p.examples.slice(0, 3).map(printable).join(', ')})`,
    );
  }
  if (p.trashedSinceSnapshot > 0) lines.push(`  ! ${plural(p.trashedSinceSnapshot, 'file')} you moved to Trash${since} ${p.trashedSinceSnapshot === 1 ? 'is' : 'are'} back where ${p.trashedSinceSnapshot === 1 ? 'it was' : 'they were'}; move ${p.trashedSinceSnapshot === 1 ? 'it' : 'them'} to Trash again if you want (\`shoebox rm\`)`);
  const refill = 'Watched folders put their files back in their albums on the next sync, without copying anything again.';
  if (r.base.kind === 'snapshot') lines.push(`  ! Lost: album changes made since the snapshot (new albums, files added to or moved between albums). ${refill}`);
  if (r.base.kind === 'empty') lines.push(`  ! Lost: albums, Trash and version history (no snapshot to restore them from). ${refill}`);
  if (p.albumsLost.length > 0) lines.push(`  ! Albums not restored (their files are in Uncategorized): ${p.albumsLost.slice(0, 20).map(printable).join(', ')}${p.albumsLost.length > 20 ? ', …' : ''}`);
  if (p.withoutBytes.length > 0) {
    lines.push(`  ✗ ${plural(p.withoutBytes.length, 'file')} ${p.withoutBytes.length === 1 ? 'has' : 'have'} no stored bytes (e.g. ${p.withoutBytes.slice(0, 3).map((f) => `${printable(f.name)} (file ${f.fileId})`).join(', ')}); \`shoebox check\` lists them`);
  }
  if (p.purgedSinceSnapshot > 0) lines.push(`  · ${plural(p.purgedSinceSnapshot, 'file')} deleted from Trash${since} ${p.purgedSinceSnapshot === 1 ? 'was' : 'were'} forgotten (the bytes were already gone)`);
  if (p.watchesRestored.length > 0) lines.push(`  · Watched again: ${p.watchesRestored.map(printable).join(', ')}`);
  for (const s of r.skippedSnapshots) lines.push(`  · Skipped snapshot ${s.name}: ${s.reason}`);
  lines.push(
    r.salvage.readable
      ? `  · Read ${plural(r.salvage.rowsRead, 'row')} from the damaged catalog${r.salvage.rowsLost ? `; ${plural(r.salvage.rowsLost, 'damaged stretch', 'damaged stretches')} of rows could not be read` : ''}${r.salvage.tablesLost.length ? `; unreadable tables: ${r.salvage.tablesLost.join(', ')}` : ''}`
      : `  · Nothing could be read from the damaged catalog${r.salvage.reason ? ` (${r.salvage.reason})` : ''}`,
  );
  if (p.notBlobs > 0) lines.push(`  · ${plural(p.notBlobs, 'file')} in objects/ ${p.notBlobs === 1 ? 'is not a stored photo (its name is not a content hash); left where it is' : 'are not stored photos (their names are not content hashes); left where they are'}`);
  const kept = r.damagedKeptAs.find((f) => f.endsWith('.sqlite'));
  if (kept) lines.push(`  · The damaged catalog is kept: ${kept}${r.damagedKeptAs.length > 1 ? ` (with its ${r.damagedKeptAs.filter((f) => f !== kept).map((f) => f.slice(f.lastIndexOf('-'))).join(', ')})` : ''}`);
  lines.push(`Nothing in objects/ was deleted.${r.base.kind === 'snapshot' && p.remotes > 0 ? ' Offsite remotes send again what they received since the snapshot (the same objects, replaced; nothing is doubled).' : ''}`);
  return `${lines.join('\n')}\n`;
}
