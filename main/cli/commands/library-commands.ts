import type { Command } from 'commander';
import { withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { formatBytes, formatTable, plural, printable, jsonText } from '../../core/format.js';
import { shownWatchState, syncLine } from './sync-lines.js';

/** `shoebox albums`, `shoebox ls [ALBUM]`, `shoebox status`: read-only views of the library. */
export function registerLibraryCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('albums')
    .description('list albums with file counts and sizes')
    .action(async (_: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const albums = engine.albums();
          if (g.json) io.stdout.write(`${jsonText(albums)}\n`);
          else io.stdout.write(`${formatTable(['ALBUM', 'FILES', 'SIZE'], albums.map((a) => [printable(a.name), a.fileCount, formatBytes(a.bytes)]))}\n`);
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('ls')
    .description('list files by album (--json: one JSON object per membership per line)')
    .argument('[album]', 'only this album')
    .action(async (album: string | undefined, _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const rows = engine.list(album);
          if (g.json) {
            for (const r of rows) io.stdout.write(`${jsonText(r)}\n`);
          } else {
            io.stdout.write(`${formatTable(['ALBUM', 'NAME', 'SIZE', 'ID', 'HASH'], rows.map((r) => [printable(r.album), printable(r.name), formatBytes(r.size), r.fileId, `${r.hashAlgorithm}:${r.hash.slice(0, 12)}`]))}\n`);
          }
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('status')
    .description('library totals and recent per-file errors')
    .option('--dismiss-errors', 'forget the listed problems (a file still in trouble is listed again at its next try)')
    .action(async (cmd: { dismissErrors?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const dismissed = cmd.dismissErrors ? engine.dismissErrors() : null;
          const s = engine.status();
          if (dismissed !== null && !g.json) {
            io.stdout.write(dismissed === 0 ? 'No problems to dismiss.\n' : `Dismissed ${plural(dismissed, 'problem')}; a file still in trouble is listed again at its next try.\n`);
            if (s.missingBytes > 0 || s.damagedBytes > 0) io.stdout.write('Stored bytes found missing or damaged are not dismissed: `shoebox check --repair` stores them again where the originals still exist.\n');
          }
          if (g.json) {
            io.stdout.write(`${jsonText(s)}\n`);
            return ExitCode.ok;
          }
          io.stdout.write(
            `Library  ${s.library}\nFiles    ${s.files} in ${plural(s.albums, 'album')} (${s.trashed} in Trash)\n` +
              `Stored   ${formatBytes(s.storedBytes)} in ${plural(s.blobs, 'blob')} (${s.hashAlgorithm})\n` +
              `Errors   ${[s.errors > 0 ? `${plural(s.errors, 'file')} could not be backed up` : null, bytesProblemLine(s.missingBytes, s.damagedBytes)].filter(Boolean).join('\n         ') || 'none'}\n`,
          );
          if (s.sync) {
            const st = s.sync;
            io.stdout.write(`Engine   running (process ${st.pid}): ${syncLine(st, s.recentErrors.length)}\n`);
            for (const w of st.watches) io.stdout.write(`  ${shownWatchState(w, st).padEnd(11)} ${printable(w.path)} (${plural(w.files, 'file')}${w.pending ? `, ${w.pending} pending` : ''})\n`);
          } else {
            io.stdout.write('Engine   not running\n');
          }
          // the path too, where the message names only the file (two "empty.jpg" told apart)
          for (const e of s.recentErrors) io.stdout.write(`  ✗ ${new Date(e.at).toISOString()} ${printable(e.message)} [${e.code}]${e.path && !e.message.includes(e.path) ? `\n      ${printable(e.path)}` : ''}\n`);
          return ExitCode.ok;
        }),
      );
    });
}

/** The status line for files whose stored bytes are gone or damaged, or null when there are none. */
export function bytesProblemLine(missing: number, damaged: number): string | null {
  const parts: string[] = [];
  if (missing > 0) parts.push(`${plural(missing, 'file')} ${missing === 1 ? 'has lost its' : 'have lost their'} stored bytes`);
  if (damaged > 0) parts.push(`${plural(damaged, 'file')} ${damaged === 1 ? 'has' : 'have'} damaged stored bytes`);
  if (parts.length === 0) return null;
  return `${parts.join('; ')}. Run \`shoebox check\` to see which; backing up the originals again (or \`shoebox check --repair\` where they still exist) stores them again.`;
}
