import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { MEANING } from '../../core/check/check-service.js';
import { describeCatalogDamage, runRecover } from './check-recovery.js';
import type { ExportLayout, ExportSummary } from '../../core/export/export-service.js';
import type { RestoreSummary } from '../../core/export/restore-service.js';
import { ShoeboxError } from '../../core/errors.js';
import { formatBytes, plural, printable, jsonText } from '../../core/format.js';
import { interruptible, reportError, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { createProgressReporter, type ProgressReporter } from '../progress-reporter.js';
import { withFileIds } from './file-commands.js';

/** `shoebox export`, `restore`, `cat`, `open`, `check`: getting photos back and trusting the library. */
export function registerExportCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('export')
    .description('write originals (byte-identical, verified) into DEST: one folder per album, flat, or by date; re-running resumes')
    .argument('[args...]', '[ALBUM…] DEST')
    .option('--all', 'every album (Uncategorized included)')
    .addOption(new Option('--layout <layout>', 'how files are arranged').choices(['albums', 'flat', 'by-date']).default('albums'))
    .option('--include-trash', 'also export files in Trash (into Trash/)')
    .action(async (args: string[], cmd: { all?: boolean; layout: ExportLayout; includeTrash?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      if (args.length === 0) {
        return done(reportError(io, g, new ShoeboxError('USAGE', 'export needs the folder to write into: `shoebox export --all DEST`, or `shoebox export ALBUM… DEST`.')));
      }
      if (cmd.all && args.length > 1) {
        // `export --all Album DEST` exported everything: the album named was silently ignored
        return done(reportError(io, g, new ShoeboxError('USAGE', `--all exports every album; it takes no album names (${args.slice(0, -1).map((a) => `"${a}"`).join(', ')}). Use \`shoebox export --all DEST\`, or \`shoebox export ALBUM… DEST\` for some.`)));
      }
      done(
        await withEngine(io, g, false, async (engine) => {
          const dest = args.at(-1)!;
          const albums = args.slice(0, -1);
          const line = (s: ExportSummary) => {
            // The headline counts only the files that are in the destination now; the failed ones are counted after it.
            const exported = s.written + s.linked + s.skipped;
            const done = exported + s.failed.length;
            const of = exported < s.files ? `${exported} of ${plural(s.files, 'file')}` : plural(s.files, 'file');
            io.stdout.write(`Exported ${of} to ${printable(s.dest)} (${s.layout}): ${s.written} written (${formatBytes(s.bytesWritten)}), ${s.linked} hard-linked (same bytes as another file of this export), ${s.skipped} already there, ${s.failed.length} could not be exported.\n`);
            return s.files - done;
          };
          const s = await copyingOut(io, g, line, (signal, bar) =>
            engine.export({ albums, all: !!cmd.all, dest, layout: cmd.layout, includeTrash: !!cmd.includeTrash, signal }, (p) =>
              bar.update({ filesDone: p.done, filesTotal: p.total, bytesDone: p.bytes, bytesTotal: 0, current: p.current }),
            ),
          );
          if (g.json) io.stdout.write(`${jsonText(s)}\n`);
          else {
            const left = line(s);
            if (s.interrupted) io.stdout.write(`Interrupted: ${left} not exported yet. Run the same command again to finish: files already there are skipped.\n`);
            for (const f of s.failed) io.stderr.write(`  ✗ ${printable(f.message)} [${f.code}]\n`);
          }
          return s.interrupted ? ExitCode.interrupted : s.failed.length > 0 ? ExitCode.partial : ExitCode.ok;
        }),
      );
    });

  program
    .command('restore')
    .description('re-create a watched folder\'s tree from the library (after a disk loss); never overwrites a different file')
    .argument('<watch-path>', 'the watched (or uploaded) folder as it was; a folder inside it restores part of it, a folder holding several restores each')
    .option('--to <dir>', 'write the tree here instead of at its original place')
    .action(async (watchPath: string, cmd: { to?: string }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          const line = (s: RestoreSummary) => {
            const restored = s.written + s.skipped + s.beside.length;
            const done = restored + s.failed.length;
            io.stdout.write(`Restored ${restored < s.files ? `${restored} of ` : ''}${plural(s.files, 'file')} of ${printable(s.watchPath)} into ${printable(s.to)}: ${s.written} written (${formatBytes(s.bytesWritten)}), ${s.skipped} already there, ${s.beside.length} written beside a different existing file, ${s.failed.length} failed.\n`);
            return s.files - done;
          };
          const s = await copyingOut(io, g, line, (signal, bar) =>
            engine.restore(watchPath, cmd.to, (d, t, bytes) => bar.update({ filesDone: d, filesTotal: t, bytesDone: bytes, bytesTotal: 0, current: null }), signal),
          );
          if (g.json) io.stdout.write(`${jsonText(s)}\n`);
          else {
            const left = line(s);
            if (s.interrupted) io.stdout.write(`Interrupted: ${left} not restored yet. Run the same command again to finish: files already there are skipped.\n`);
            for (const b of s.beside) io.stdout.write(`  ! ${printable(b.path)} is taken by another file (or a folder or link), left as it is: the library's copy is at ${printable(b.wroteBeside)}\n`);
            for (const f of s.failed) io.stderr.write(`  ✗ ${printable(f.message)} [${f.code}]\n`);
            if (s.earlierVersions > 0) io.stdout.write(`${plural(s.earlierVersions, 'file')} ${s.earlierVersions === 1 ? 'is' : 'are'} written as the version before a newer one deleted from the library (in Trash, or purged): \`shoebox history ID\` shows the versions.\n`);
            const it = s.inTrash === 1;
            if (s.inTrash > 0) io.stdout.write(`${plural(s.inTrash, 'file')} once backed up from there ${it ? 'is' : 'are'} in Trash (moved there by you, or by Similar images or Duplicates keeping another copy) and ${it ? 'was' : 'were'} not written: \`shoebox trash ls\` lists ${it ? 'it' : 'them'}; restore from Trash, then run this again to write ${it ? 'it' : 'them'} too.\n`);
          }
          return s.interrupted ? ExitCode.interrupted : s.failed.length > 0 ? ExitCode.partial : ExitCode.ok;
        }),
      );
    });

  program
    .command('cat')
    .description('write a file\'s original bytes to stdout (shoebox cat ID > photo.jpg)')
    .argument('<id>', 'file id')
    .action(async (id: string, _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withFileIds(io, g, [id], async (engine, parsed) => {
          if (io.stdout.isTTY) throw new ShoeboxError('USAGE', 'cat writes a photo\'s raw bytes; redirect it to a file: shoebox cat ID > photo.jpg');
          // The output failing (a full disk behind `>`, a reader gone) is said once by the
          // stdout guard (process-guards.ts); it is no error of the library's.
          let outputError: NodeJS.ErrnoException | undefined;
          io.stdout.once('error', (err: NodeJS.ErrnoException) => (outputError = err));
          try {
            await pipeline(engine.openFile(parsed[0]!), io.stdout, { end: false });
          } catch (err) {
            if (!outputError) throw err;
            return outputError.code === 'EPIPE' ? ExitCode.ok : ExitCode.internal;
          }
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('open')
    .description('make a temporary read-only copy of a file (for "Open with…") and print its path')
    .argument('<id>', 'file id')
    .action(async (id: string, _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withFileIds(io, g, [id], async (engine, parsed) => {
          const p = await engine.openCopy(parsed[0]!);
          io.stdout.write(g.json ? `${jsonText({ path: p })}\n` : `${p}\n`);
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('check')
    .description('verify the library: catalog invariants, SQLite integrity, and with --read-data every stored byte')
    .option('--read-data', 're-hash every blob (reads the whole library)')
    .option('--repair', 'fix what can be fixed without losing anything')
    .option('--recover', 'rebuild a damaged catalog: restore the newest good snapshot, bring back every stored photo it lacks (the damaged file is kept)')
    .action(async (cmd: { readData?: boolean; repair?: boolean; recover?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      if (cmd.recover) {
        if (cmd.readData || cmd.repair) {
          return done(reportError(io, g, new ShoeboxError('USAGE', '--recover is used on its own (run `shoebox check` afterwards to check the recovered library).')));
        }
        return done(await runRecover(io, g));
      }
      done(
        await withEngine(io, g, false, async (engine) => {
          const { report, repair } = await engine.check({ readData: !!cmd.readData, repair: !!cmd.repair });
          const left = repair ? repair.remaining : report.problems;
          if (g.json) {
            io.stdout.write(`${jsonText({ ...report, repair })}\n`);
          } else {
            io.stdout.write(`Checked ${plural(report.blobsChecked, 'stored content')}${cmd.readData ? ' (every byte re-hashed)' : ' (their sizes, and the bytes of any found damaged before; --read-data re-hashes every byte)'} and the catalog: ${report.problems.length === 0 ? 'no problems' : plural(report.problems.length, 'problem')}${report.strayBlobs ? `, ${plural(report.strayBlobs, 'stray blob file')}` : ''}${report.inFlightBlobs ? `, ${plural(report.inFlightBlobs, 'blob file')} no row names yet, written since another Shoebox process on the library started (left alone: it may be about to commit ${report.inFlightBlobs === 1 ? 'it' : 'them'}; once it is done, check again)` : ''}${report.quarantined ? `, ${plural(report.quarantined, 'blob file')} in quarantine (${formatBytes(report.quarantinedBytes)}; no catalog row names them; removed 30 days after ${report.quarantined === 1 ? 'it was' : 'they were'} put there)` : ''}.\n`);
            for (const p of report.problems) io.stdout.write(`  ✗ ${printable(p.message)}\n      ${MEANING[p.kind]}\n`);
            if (repair) {
              for (const f of repair.fixed) io.stdout.write(`  ✓ repaired: ${printable(f)}\n`);
              for (const p of repair.remaining) io.stdout.write(`  ✗ not repaired: ${printable(p.message)}\n      ${printable(p.why ?? MEANING[p.kind])}\n`);
              if (repair.remaining.length) io.stdout.write(`${plural(repair.remaining.length, 'problem')} left: ${repair.remaining.length === 1 ? 'it' : 'they'} cannot be repaired without losing something.\n`);
            } else if (report.problems.length) io.stdout.write('Run `shoebox check --repair` to fix what can be fixed without losing anything.\n');
          }
          return left.length > 0 ? ExitCode.library : ExitCode.ok;
        }, (damage) => describeCatalogDamage(io, g, damage)),
      );
    });
}

/**
 * Runs an export or a restore with its progress bar, stopping cleanly on Ctrl-C (the summary
 * then says `interrupted`). A full destination stops it with an error carrying the summary so
 * far: `line` says how far it got before the error is reported.
 */
async function copyingOut<S>(io: CliIO, g: GlobalOptions, line: (s: S) => unknown, run: (signal: AbortSignal, bar: ProgressReporter) => Promise<S>): Promise<S> {
  const bar = createProgressReporter(io.stderr, !!g.json);
  try {
    return await interruptible(io, (signal) => run(signal, bar));
  } catch (err) {
    const partial = (err as { summary?: S }).summary;
    if (partial && !g.json) line(partial);
    throw err;
  } finally {
    bar.stop();
  }
}
