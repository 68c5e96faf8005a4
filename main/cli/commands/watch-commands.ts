import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ShoeboxError } from '../../core/errors.js';
import type { AlbumMode } from '../../core/upload/album-mapping.js';
import { IGNORED_REASON } from '../../core/upload/decide-ingest.js';
import { reportError, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { formatBytes, formatTable, plural, printable, jsonText } from '../../core/format.js';
import { looksLikeNetworkDrive } from '../../core/watch/network-drive.js';
import { checkFolderToWatch } from '../../core/watch/watch-folder-check.js';
import { resolveLibraryDir } from '../../core/library/library-location.js';
import { shownWatchState, syncLine } from './sync-lines.js';

/** `shoebox watch add|ls|rm`, `run`, `pause`, `resume`: watch folders from the command line. */
export function registerWatchCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  const watch = program.command('watch').description('folders Shoebox keeps backed up');

  watch
    .command('add')
    .description('watch a folder: back up everything in it now, then keep it backed up while `shoebox run` runs')
    .argument('<path>', 'folder to watch')
    .addOption(new Option('--mode <mode>', 'for folders with subfolders: one album (single) or one per folder (separate)').choices(['single', 'separate']))
    .option('--poll', 'poll for changes instead of OS notifications (for network drives)')
    .action(async (folder: string, cmd: { mode?: AlbumMode; poll?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      // The folder is checked and the mode chosen before the library is opened: a refusal
      // (no such folder, a file, no --mode off a terminal) creates no library.
      let mode: AlbumMode | undefined = cmd.mode;
      let checked: { path: string; hasSubfolders: boolean };
      const libraryDir = resolveLibraryDir(g.library, io.env);
      const existing = fs.existsSync(path.join(libraryDir, 'catalog.sqlite'));
      try {
        checked = await checkFolderToWatch(folder, libraryDir);
        // a new library has no watch to clash with: ask now, before it is made
        if (!existing) mode ??= checked.hasSubfolders ? await askMode(checked.path, io) : undefined;
      } catch (err) {
        return done(reportError(io, g, err));
      }
      done(
        await withEngine(io, g, true, async (engine) => {
          if (existing && mode === undefined) {
            // "already watched" (or inside a watch) is said before a mode is asked for, not after
            await engine.watches.inspect(folder);
            if (checked.hasSubfolders) mode = await askMode(checked.path, io);
          }
          let seen = 0;
          let deletedByYou = 0; // sources of files you deleted from the library: refused, not failed
          const res = await engine.addWatch(folder, { ...(mode ? { mode } : {}), poll: !!cmd.poll }, (_, o) => {
            if (o.status === 'ignored' && o.reason === IGNORED_REASON) deletedByYou++;
            if (!g.json && io.stderr.isTTY && ++seen % 50 === 0) io.stderr.write(`\r${plural(seen, 'file')}…`);
          });
          const info = engine.watches.list().find((w) => w.id === res.watch.id);
          if (!info) {
            // Removed meanwhile (`watch rm` in another process, or the window): what it had backed up stays.
            if (g.json) io.stdout.write(`${jsonText({ watch: null, syncedNow: res.syncedNow, runningPid: res.runningPid, failed: [], deletedByYou })}\n`);
            io.stderr.write(`${printable(res.watch.path)} stopped being watched while it was backed up (\`shoebox watch rm\`, or the window); the files already backed up stay in the library.\n`);
            return ExitCode.ok;
          }
          // What the first sync could not back up, named (as upload does); a running engine's sync says so in status.
          const failed = res.syncedNow ? engine.errorsUnder(info.path) : [];
          if (g.json) io.stdout.write(`${jsonText({ watch: info, syncedNow: res.syncedNow, runningPid: res.runningPid, failed, deletedByYou })}\n`);
          else {
            if (seen >= 50 && io.stderr.isTTY) io.stderr.write('\n');
            io.stdout.write(`Watching ${printable(info.path)} (${info.mode === 'single' ? 'one album' : 'one album per folder'}${info.poll ? ', polling' : ''}).\n`);
            // The mode cannot be changed later, and it only matters once subfolders appear: say so.
            if (!mode) io.stdout.write(`It has no subfolders yet: subfolders added later go into the same album. To get one album per folder instead, stop watching it and add it again with --mode separate.\n`);
            io.stdout.write(res.syncedNow
              ? `Backed up: ${plural(info.files, 'file')}, ${formatBytes(info.bytes)}. Run \`shoebox run\` to keep it backed up as it changes.\n`
              : `The running engine (process ${res.runningPid}) is backing it up now.\n`);
            if (deletedByYou > 0) io.stdout.write(`Not backed up: ${plural(deletedByYou, 'file')} you deleted from the library earlier (in Trash, or emptied from it). \`shoebox reset-ignored\` backs such files up again.\n`);
            if (looksLikeNetworkDrive(info.path) && !info.poll) io.stderr.write(`warning: ${info.path} looks like a network drive; change notifications there are unreliable. Consider re-adding it with --poll.\n`);
          }
          if (failed.length > 0 && !g.json) {
            io.stderr.write(`${plural(failed.length, 'file')} could not be backed up:\n`);
            for (const f of failed) io.stderr.write(`  ✗ ${printable(f.path ?? '')}: ${printable(f.message)} [${f.code}]\n`);
          }
          return failed.length > 0 ? ExitCode.partial : ExitCode.ok;
        }),
      );
    });

  watch
    .command('ls')
    .description('watched folders with their state and counts')
    .action(async (_: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const live = engine.status().sync;
          const rows = engine.watches.list().map((w) => {
            const l = live?.watches.find((x) => x.id === w.id);
            return { ...w, state: shownWatchState({ paused: w.paused, state: l?.state ?? 'stopped' }, live), message: l?.message ?? null, pending: l?.pending ?? 0 };
          });
          if (g.json) io.stdout.write(`${jsonText(rows)}\n`);
          else {
            io.stdout.write(`${formatTable(['FOLDER', 'MODE', 'STATE', 'FILES', 'SIZE', 'PENDING'], rows.map((w) => [printable(w.path), `${w.mode}${w.poll ? '+poll' : ''}`, w.state, w.files, formatBytes(w.bytes), w.pending]))}\n`);
            for (const w of rows) if (w.message) io.stdout.write(`  ${printable(w.path)}: ${w.message}\n`);
            if (live?.state === 'paused') io.stdout.write(`${syncLine(live)}${live.pausedReason === 'user' ? '; `shoebox resume` backs them up' : ''}.\n`);
            if (!live) {
              if (engine.gate.userPaused) io.stdout.write('Syncing is paused; `shoebox resume` resumes it.\n');
              io.stdout.write('(no engine is running; `shoebox run` keeps these folders backed up)\n');
            }
          }
          return ExitCode.ok;
        }),
      );
    });

  watch
    .command('rm')
    .description('stop watching a folder (its files stay in the library)')
    .argument('<path>', 'watched folder')
    .action(async (folder: string, _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          const w = await engine.watches.remove(folder);
          if (g.json) io.stdout.write(`${jsonText({ removed: w })}\n`);
          else io.stdout.write(`Stopped watching ${printable(w.path)}. Its files stay in the library.\n`);
          return ExitCode.ok;
        }),
      );
    });

  program
    .command('run')
    .description('the long-running engine: catch up every watch, then back up changes live until Ctrl-C')
    .action(async (_: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, true, async (engine) => {
          // Listening before the engine starts: a Ctrl-C or SIGTERM during the start-up catch-up
          // stops cleanly too (after the files in progress), instead of killing the process.
          let onSignal: () => void = () => undefined;
          const signalled = new Promise<null>((resolve) => {
            onSignal = () => resolve(null);
            process.once('SIGINT', onSignal);
            process.once('SIGTERM', onSignal);
          });
          try {
            const handle = await engine.run();
            const s = engine.status();
            const n = s.sync?.watches.length ?? 0;
            io.stderr.write(`shoebox: running on ${s.library}: ${plural(n, 'watched folder')}. Ctrl-C stops cleanly.\n`);
            if (n === 0) io.stderr.write('shoebox: no folders are watched yet. Add one (in another terminal) with `shoebox watch add ~/Pictures`; this engine picks it up.\n');
            const unsubscribe = engine.watches.onStatus((st) => {
              for (const w of st.watches) if (w.state === 'failed' || w.state === 'unavailable') io.stderr.write(`shoebox: ${w.message}\n`);
            });
            const halted = await Promise.race([signalled, handle.halted]); // halted: the library folder was moved away
            unsubscribe();
            if (halted) throw halted;
            io.stderr.write('shoebox: stopping (finishing the files in progress)…\n');
            await handle.stop();
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
          return ExitCode.ok;
        }),
      );
    });

  for (const [name, paused] of [['pause', true], ['resume', false]] as const) {
    program
      .command(name)
      .description(paused ? 'pause syncing, of everything or of one watched folder (changes are queued, not lost)' : 'resume syncing')
      .argument('[path]', 'only this watched folder')
      .action(async (folder: string | undefined, _: unknown, self: Command) => {
        const g = self.optsWithGlobals<GlobalOptions>();
        done(
          // One folder is paused in a library that watches it: none is created for it.
          await withEngine(io, g, folder === undefined, (engine) => {
            if (folder !== undefined) engine.watches.setPaused(folder, paused);
            else engine.gate.setUserPaused(paused);
            const what = folder !== undefined ? `Syncing of ${printable(folder)}` : 'Syncing';
            if (g.json) io.stdout.write(`${jsonText({ paused, folder: folder ?? null })}\n`);
            else io.stdout.write(paused ? `${what} paused. Changes are remembered and backed up after \`shoebox resume${folder ? ' PATH' : ''}\`.\n` : `${what} resumed.\n`);
            return ExitCode.ok;
          }),
        );
      });
  }
}

/** On a terminal, asks single or separate for a folder with subfolders; elsewhere, a clear error. */
async function askMode(path: string, io: CliIO): Promise<AlbumMode> {
  if (!process.stdin.isTTY || !io.stderr.isTTY) {
    throw new ShoeboxError('INVALID_ARGUMENT', `${path} has subfolders: choose --mode single (everything in one album) or --mode separate (one album per folder).`);
  }
  const rl = readline.createInterface({ input: process.stdin, output: io.stderr });
  try {
    for (;;) {
      const a = (await rl.question(`${path} has subfolders. Back it up as a [s]ingle album or [e] separate albums (one per folder)? `)).trim().toLowerCase();
      if (a === 's' || a === 'single') return 'single';
      if (a === 'e' || a === 'separate') return 'separate';
    }
  } finally {
    rl.close();
  }
}
