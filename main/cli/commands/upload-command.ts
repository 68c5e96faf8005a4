import type { Command } from 'commander';
import { Option } from 'commander';
import { checkUploadPath, type UploadSummary } from '../../core/upload/upload-service.js';
import { interruptible, reportError, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { resolveLibraryDir } from '../../core/library/library-location.js';
import { ExitCode } from '../exit-codes.js';
import { formatBytes, plural, printable, jsonText } from '../../core/format.js';
import { createProgressReporter } from '../progress-reporter.js';

/** `shoebox upload PATH… [--album NAME] [--mode single|separate]` */
export function registerUpload(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('upload')
    .description('back up files, folders and ZIP archives into the library (folder structure kept)')
    .argument('<paths...>', 'files, folders or .zip archives')
    .option('--album <name>', 'album for loose files, or the name of a folder\'s root album')
    .addOption(new Option('--mode <mode>', 'for folders with subfolders: one album, or one album per leaf folder').choices(['single', 'separate']).default('separate'))
    .action(async (paths: string[], cmd: { album?: string; mode: 'single' | 'separate' }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      // Checked before the library is opened: a refused path (missing, a system folder, inside
      // the library) creates no library.
      try {
        for (const p of paths) await checkUploadPath(p, resolveLibraryDir(g.library, io.env));
      } catch (err) {
        return done(reportError(io, g, err));
      }
      done(
        await withEngine(io, g, true, async (engine) => {
          const progress = createProgressReporter(io.stderr, !!g.json);
          try {
            const request = { paths, mode: cmd.mode, ...(cmd.album !== undefined ? { album: cmd.album } : {}) };
            const summary = await interruptible(io, (signal) => engine.upload(request, { onProgress: (p) => progress.update(p), signal }));
            progress.stop();
            printSummary(io, summary, !!g.json);
            if (summary.interrupted) return ExitCode.interrupted;
            return summary.failed > 0 || summary.failures.length > 0 ? ExitCode.partial : ExitCode.ok; // a folder that could not be read is a failure, not a file
          } finally {
            progress.stop();
          }
        }),
      );
    });
}

function printSummary(io: CliIO, s: UploadSummary, json: boolean): void {
  if (json) {
    io.stdout.write(`${jsonText(s)}\n`);
    return;
  }
  const secs = s.durationMs / 1000;
  io.stdout.write(
    `${plural(s.filesTotal, 'file')}: ${s.stored} new, ${s.created} new names for stored bytes, ${s.linked} added to albums, ` +
      `${s.skipped} already backed up, ${s.ignored} not photos or videos, ${s.failed} failed` +
      `${s.vanished ? `, ${s.vanished} vanished before they could be read` : ''}\n` +
      `${s.restored ? `${s.restored} of them had lost their stored bytes (missing or damaged); stored again from these originals\n` : ''}` +
      `${formatBytes(s.bytesAdded)} added to the library in ${secs.toFixed(1)} s${s.interrupted ? ' (interrupted; run again to continue)' : ''}\n`,
  );
  for (const f of s.failures) io.stderr.write(`  ✗ ${printable(f.path)}: ${printable(f.message)} [${f.code}]\n`);
  const u = s.unrecognised;
  if (u.count > 0) {
    io.stdout.write(`${plural(u.count, 'file')} backed up because of ${u.count === 1 ? 'its' : 'their'} extension: the content is not a photo or video Shoebox recognises (damaged, or another kind of file named like one)\n`);
    for (const p of u.paths.slice(0, NOTES_SHOWN)) io.stderr.write(`  ⚠ ${printable(p)}: content not recognised as a photo or video [UNRECOGNISED_CONTENT]\n`);
    if (u.count > NOTES_SHOWN) io.stderr.write(`  … and ${u.count - NOTES_SHOWN} more (\`--json\` lists up to 1000; the activity log keeps them all)\n`);
  }
  const i = s.import;
  if (!i) return;
  const lines = [
    i.sidecars > 0 && `Google Takeout: ${plural(i.matched, 'photo or video', 'photos and videos')} matched to ${i.matched === 1 ? 'its sidecar' : 'their sidecars'}, ${i.withoutSidecar} without one, ${i.unmatchedSidecars} of ${plural(i.sidecars, 'sidecar')} matched to no photo`,
    i.rawPairs > 0 && `${plural(i.rawPairs, 'RAW+JPEG pair')} kept as one photo each`,
    i.livePhotos > 0 && `${plural(i.livePhotos, 'live photo')} (image and video) kept as one item each`,
    i.xmpSidecars > 0 && `${plural(i.xmpSidecars, 'XMP sidecar')} kept with ${i.xmpSidecars === 1 ? 'its photo' : 'their photos'}`,
  ].filter(Boolean);
  if (lines.length) io.stdout.write(`${lines.join('\n')}\n`);
  // Notes name every sidecar or photo left unmatched; a long list is cut here (all are in the activity log).
  for (const n of i.notes.slice(0, NOTES_SHOWN)) io.stderr.write(`  ⚠ ${printable(n.path)}: ${printable(n.message)} [${n.code}]\n`);
  const more = i.notes.length - NOTES_SHOWN + i.notesOmitted;
  if (more > 0) io.stderr.write(`  … and ${plural(more, 'more note')} (\`--json\` lists up to 1000; the activity log keeps them all)\n`);
}

/** Notes printed after an upload; --json has them all. */
const NOTES_SHOWN = 50;
