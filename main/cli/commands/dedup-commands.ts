import readline from 'node:readline/promises';
import type { Command } from 'commander';
import type { DuplicateGroup } from '../../core/dedup/dedup-service.js';
import { ShoeboxError } from '../../core/errors.js';
import { withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { formatBytes, formatTable, plural, printable, jsonText } from '../../core/format.js';
import { parseIds, withFileIds } from './file-commands.js';

/** Asks a yes/no question on a terminal; false when there is no terminal to ask on. */
export async function confirm(io: CliIO, question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !io.stderr.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: io.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** Applies --keep and --exclude to the listed groups; unknown ids are usage errors. */
export function selectGroups(groups: DuplicateGroup[], keep: number[], exclude: string[]): DuplicateGroup[] {
  for (const id of keep) {
    const g = groups.find((x) => x.copies.some((c) => c.fileId === id));
    if (!g) throw new ShoeboxError('INVALID_ARGUMENT', `File ${id} is not in any duplicate group (\`shoebox dedup --dry-run\` lists them).`);
    g.keep = id;
  }
  for (const prefix of exclude) {
    if (!groups.some((g) => g.hash.startsWith(prefix.toLowerCase()))) throw new ShoeboxError('INVALID_ARGUMENT', `There is no duplicate group "${prefix}".`);
  }
  return groups.filter((g) => !exclude.some((p) => g.hash.startsWith(p.toLowerCase())));
}

/** `shoebox dedup`, `trash ls|restore|empty`, `storage`. */
export function registerDedupCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('dedup')
    .description('find exact duplicates across albums and move the extra copies to Trash (albums keep their photos)')
    .option('--dry-run', 'only list the groups')
    .option('--yes', 'apply without asking')
    .option('--exclude <group...>', 'leave these groups alone (group ids as listed)')
    .option('--keep <file...>', 'keep this copy in its group instead of the default')
    .action(async (cmd: { dryRun?: boolean; yes?: boolean; exclude?: string[]; keep?: string[] }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          const listed = selectGroups(engine.dedup.listGroups(), parseIds(cmd.keep ?? []), cmd.exclude ?? []);
          // Groups whose copies are different items (their RAWs or live videos differ) are listed, never applied.
          const groups = listed.filter((x) => x.leftAlone === null);
          const extra = groups.reduce((n, x) => n + x.copies.length - 1, 0);
          const extraBytes = groups.reduce((n, x) => n + (x.copies.length - 1) * x.size, 0);
          const before = engine.storage();
          if (!g.json) printGroups(io, listed, before.filesBytes, extraBytes);
          const apply = !cmd.dryRun && groups.length > 0 && (cmd.yes || (!g.json && (await confirm(io, `Move ${plural(extra, 'duplicate copy', 'duplicate copies')} to Trash?`))));
          if (!apply) {
            if (g.json) io.stdout.write(`${jsonText({ groups: listed, applied: null })}\n`);
            else if (groups.length > 0 && !cmd.dryRun) io.stdout.write('Nothing changed. Run with --yes to apply.\n');
            return ExitCode.ok;
          }
          const results = engine.applyDedup(groups.map((x) => ({ hash: x.hash, keep: x.keep, fileIds: x.copies.map((c) => c.fileId) })), (n, total) => {
            if (!g.json && io.stderr.isTTY) io.stderr.write(`\rapplying ${n}/${total}`);
          });
          if (!g.json && io.stderr.isTTY) io.stderr.write('\n');
          const after = engine.storage();
          const skipped = results.filter((r) => r.status === 'skipped');
          if (g.json) {
            io.stdout.write(`${jsonText({ groups: listed, applied: results, before: { filesBytes: before.filesBytes, storedBytes: before.storedBytes }, after: { filesBytes: after.filesBytes, storedBytes: after.storedBytes, freedByPurge: after.trash.freedByPurge } })}\n`);
          } else {
            io.stdout.write(`Done: ${plural(results.length - skipped.length, 'group')}, ${plural(results.reduce((n, r) => n + (r.status === 'applied' ? r.trashed : 0), 0), 'copy', 'copies')} moved to Trash (restorable for 30 days).\n`);
            io.stdout.write(`Files: ${formatBytes(before.filesBytes)} → ${formatBytes(after.filesBytes)}. Stored on disk: ${formatBytes(after.storedBytes)}; emptying Trash now would free ${formatBytes(after.trash.freedByPurge)} (exact copies share their stored bytes).\n`);
            for (const s of skipped) if (s.status === 'skipped') io.stderr.write(`  skipped: ${s.reason}\n`);
          }
          return skipped.length > 0 ? ExitCode.partial : ExitCode.ok;
        }),
      );
    });

  const trash = program.command('trash').description('files removed from the library, kept 30 days');
  trash
    .command('ls')
    .description('list Trash')
    .action(async (_: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const items = engine.trash.list();
          if (g.json) io.stdout.write(`${jsonText(items)}\n`);
          else io.stdout.write(`${formatTable(['ID', 'NAME', 'SIZE', 'TRASHED', 'WAS IN'], items.map((t) => [t.fileId, printable(t.name), formatBytes(t.size), new Date(t.trashedAt).toISOString().slice(0, 16), t.albums.map(printable).join(', ')]))}\n`);
          return ExitCode.ok;
        }),
      );
    });
  trash
    .command('restore')
    .description('put files back into the albums they were in (or Uncategorized)')
    .argument('<ids...>', 'file ids (from `shoebox trash ls`)')
    .action(async (ids: string[], _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withFileIds(io, g, ids, (engine, parsed) => {
          const n = engine.trash.restore(parsed);
          if (g.json) io.stdout.write(`${jsonText({ restored: n })}\n`);
          else io.stdout.write(`${plural(n, 'file')} restored.\n`);
          return ExitCode.ok;
        }),
      );
    });
  trash
    .command('empty')
    .description('delete everything in Trash for good (frees the bytes no other file uses)')
    .option('--yes', 'do not ask')
    .action(async (cmd: { yes?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          const n = engine.trash.list().length;
          if (n > 0 && !cmd.yes && !(await confirm(io, `Delete ${plural(n, 'file')} from Trash for good?`))) {
            io.stderr.write('Nothing deleted. Run with --yes to empty Trash.\n');
            return ExitCode.ok;
          }
          if (n > 0) await engine.snapshotCatalog('before-empty-trash'); // [Note: Catalog snapshots]
          const r = engine.purgeTrash({ all: true });
          if (g.json) io.stdout.write(`${jsonText(r)}\n`);
          else io.stdout.write(`Deleted ${plural(r.files, 'file')} for good; freed ${formatBytes(r.bytesFreed)}.${r.missingBlobs.length ? ` ${r.missingBlobs.length} had already lost their bytes (see \`shoebox status\`).` : ''}\n`);
          return r.missingBlobs.length ? ExitCode.partial : ExitCode.ok;
        }),
      );
    });

  program
    .command('storage')
    .description('how much space the library uses: stored, per album, in Trash, and duplicates')
    .action(async (_: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const s = engine.storage();
          if (g.json) {
            io.stdout.write(`${jsonText(s)}\n`);
            return ExitCode.ok;
          }
          io.stdout.write(
            `Stored on disk   ${formatBytes(s.storedBytes)} (${plural(s.storedBlobs, 'distinct content')}, Trash included)\n` +
              `Files            ${plural(s.files, 'file')}, ${formatBytes(s.filesBytes)} if each were its own copy\n` +
              `Trash            ${plural(s.trash.files, 'file')}, ${formatBytes(s.trash.bytes)}; emptying it frees ${formatBytes(s.trash.freedByPurge)}\n` +
              `Duplicates       ${plural(s.duplicates.groups, 'group')}, ${plural(s.duplicates.extraCopies, 'extra copy', 'extra copies')} (${formatBytes(s.duplicates.extraBytes)} of files; stored once already)\n` +
              `Previews         ${formatBytes(s.thumbnailsBytes)}\n\n`,
          );
          io.stdout.write(`${formatTable(['ALBUM', 'FILES', 'SIZE'], s.albums.map((a) => [printable(a.name), a.files, formatBytes(a.bytes)]))}\n`);
          return ExitCode.ok;
        }),
      );
    });
}

function printGroups(io: CliIO, listed: DuplicateGroup[], filesBytes: number, extraBytes: number): void {
  if (listed.length === 0) {
    io.stdout.write('No duplicates: every file in the library has different content.\n');
    return;
  }
  for (const g of listed) {
    io.stdout.write(`group ${g.id}  ${formatBytes(g.size)}  ${plural(g.copies.length, 'copy', 'copies')}${g.leftAlone ? '  (left alone)' : ''}\n`);
    for (const c of g.copies) {
      const dims = c.width && c.height ? ` ${c.width}×${c.height}` : '';
      io.stdout.write(`  ${c.fileId === g.keep || g.leftAlone ? 'keep ' : 'trash'} ${String(c.fileId).padStart(6)}  ${printable(c.name)}${dims}  in ${c.albums.map(printable).join(', ') || 'Uncategorized'}\n`);
    }
    if (g.leftAlone) io.stdout.write(`  left alone: ${printable(g.leftAlone)}\n`);
  }
  const groups = listed.filter((g) => g.leftAlone === null);
  const apart = listed.length - groups.length;
  const copies = groups.reduce((n, x) => n + x.copies.length - 1, 0);
  io.stdout.write(`${plural(groups.length, 'group')}, ${plural(copies, 'extra copy', 'extra copies')}. Files: ${formatBytes(filesBytes)} now, ${formatBytes(filesBytes - extraBytes)} after. Every album keeps its photos.${apart ? ` ${plural(apart, 'group')} left alone (different items, see above).` : ''}\n`);
}
