import type { Command } from 'commander';
import type { Engine } from '../../core/engine.js';
import { ShoeboxError } from '../../core/errors.js';
import { reportError, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { PART_ROLE_LABEL, formatBytes, formatTable, plural, printable, resetIgnoredSummary, jsonText } from '../../core/format.js';

/** Parses file ids given on the command line. */
export function parseIds(ids: string[]): number[] {
  return ids.map((s) => {
    const n = Number(s);
    if (!/^\s*\d+\s*$/.test(s) || !Number.isSafeInteger(n) || n <= 0) throw new ShoeboxError('USAGE', `"${s}" is not a file id (a positive whole number, as \`shoebox ls\` shows).`);
    return n;
  });
}

/**
 * Runs `fn` on the library with these file ids, read before the library is opened: a bad id is
 * a usage error (exit 2) whether or not there is a library.
 */
export async function withFileIds(io: CliIO, g: GlobalOptions, ids: string[], fn: (engine: Engine, fileIds: number[]) => number | Promise<number>): Promise<number> {
  let fileIds: number[];
  try {
    fileIds = parseIds(ids);
  } catch (err) {
    return reportError(io, g, err);
  }
  return withEngine(io, g, false, (engine) => fn(engine, fileIds));
}

/** `shoebox rm`, `history`, `restore-version`, `reset-ignored`: single files. */
export function registerFileCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('rm')
    .description('move library files to Trash (their watched sources are not uploaded again)')
    .argument('<ids...>', 'file ids (from `shoebox ls`)')
    .action(async (ids: string[], _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withFileIds(io, g, ids, (engine, parsed) => {
          // An unknown id refuses the whole command, nothing moved (NOT_FOUND, exit 7); ids already in Trash are said.
          const fileIds = [...new Set(parsed)];
          const n = engine.trash.trash(fileIds, { forgetSources: true, reason: 'deleted by you' });
          const already = fileIds.length - n;
          if (g.json) io.stdout.write(`${jsonText({ trashed: n, alreadyInTrash: already })}\n`);
          else io.stdout.write(`${plural(n, 'file')} moved to Trash.${already > 0 ? ` ${already} ${already === 1 ? 'was' : 'were'} already there.` : ''}\n`);
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('history')
    .description('versions of an edited file, newest first')
    .argument('<id>', 'file id')
    .action(async (id: string, _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withFileIds(io, g, [id], (engine, parsed) => {
          const versions = engine.history(parsed[0]!);
          if (g.json) io.stdout.write(`${jsonText(versions)}\n`);
          else {
            io.stdout.write(`${formatTable(['ID', 'NAME', 'SIZE', 'ADDED', 'ALBUMS'], versions.map((v) => [v.fileId, printable(v.name), formatBytes(v.size), new Date(v.createdAt).toISOString(), v.trashed ? '(Trash)' : v.albums.map(printable).join(', ')]))}\n`);
            const parts = versions.flatMap((v) => v.partVersions.map((p) => [v.fileId, PART_ROLE_LABEL[p.role], printable(p.name), formatBytes(p.size), new Date(p.replacedAt).toISOString(), p.hash.slice(0, 12)]));
            if (parts.length > 0) io.stdout.write(`\nEarlier versions of their parts (edited in place since; kept, and freed with the file):\n${formatTable(['ID', 'PART', 'NAME', 'SIZE', 'REPLACED', 'CONTENT'], parts)}\n`);
          }
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('restore-version')
    .description('put an earlier version of a file back into its albums')
    .argument('<id>', 'the version\'s file id (from `shoebox history`)')
    .action(async (id: string, _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withFileIds(io, g, [id], (engine, parsed) => {
          const r = engine.restoreVersion(parsed[0]!);
          if (g.json) io.stdout.write(`${jsonText(r)}\n`);
          else if (r.albums.length > 0) io.stdout.write(`Version ${id} is back in ${r.albums.join(', ')}.\n`);
          else io.stdout.write(`Version ${id} stays in Uncategorized: no newer version of it is in an album (it was deleted), so there is none to take the place of. \`shoebox restore\` of its watched folder writes it where it was backed up from.\n`);
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('reset-ignored')
    .description('back up again sources whose library copies you deleted (Settings → Backup → Reset ignored files)')
    .action(async (_: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const r = engine.resetIgnored();
          if (g.json) io.stdout.write(`${jsonText(r)}\n`);
          else io.stdout.write(`${resetIgnoredSummary(r)}\n`);
          return ExitCode.ok;
        }),
      );
    });
}
