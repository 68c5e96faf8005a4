import type { Command } from 'commander';
import { Option } from 'commander';
import { ShoeboxError } from '../../core/errors.js';
import { formatBytes, plural, printable, jsonText } from '../../core/format.js';
import { DEFAULT_THRESHOLD, type IndexFailure, type SimilarGroup } from '../../core/similar/similar-service.js';
import { interruptible, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { confirm } from './dedup-commands.js';

/** `shoebox similar`: Similar images from the command line (DESIGN §5). */
export function registerSimilar(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('similar')
    .description('find visually similar images (edited, resized, recompressed copies, burst shots) and move the extras to Trash; albums keep their scene')
    .option('--threshold <t>', `cosine similarity 0–1 (default ${DEFAULT_THRESHOLD}; higher = stricter)`)
    .option('--yes', 'apply the default choice without asking: in each near-identical group keep the best shot, trash the others')
    .option('--all-groups', 'apply to the looser groups (shown for review) too, not only the near-identical ones')
    .option('--index-only', 'only compute the missing embeddings, then stop')
    .option('--undo', 'take back the latest confirm (here or in the window): its images come out of Trash, the kept ones leave the albums they were given')
    .addOption(new Option('--indexing <state>', 'turn background indexing in `run` on or off').choices(['on', 'off']))
    .action(async (cmd: { threshold?: string; yes?: boolean; allGroups?: boolean; indexOnly?: boolean; undo?: boolean; indexing?: 'on' | 'off' }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          if (cmd.undo && (cmd.yes || cmd.allGroups || cmd.indexOnly || cmd.indexing || cmd.threshold !== undefined)) {
            throw new ShoeboxError('USAGE', '--undo takes back the latest confirm and goes alone: run `shoebox similar --undo` by itself.');
          }
          if (cmd.undo) {
            const last = engine.similar.latestUndo();
            if (!last) throw new ShoeboxError('NOT_FOUND', 'There is no confirm of Similar images to undo (the latest 20 can be; one undone is gone). Images moved to Trash can still be restored one by one: `shoebox trash ls`, `shoebox trash restore ID…`.');
            const r = engine.similar.undo(last.id);
            const when = new Date(last.appliedAt).toISOString().slice(0, 16).replace('T', ' ');
            if (g.json) io.stdout.write(`${jsonText({ undone: { appliedAt: last.appliedAt, ...r } })}\n`);
            else {
              io.stdout.write(`Undone the confirm of ${when} (UTC): ${plural(r.restored, 'image')} back from Trash into ${r.restored === 1 ? 'its' : 'their'} albums, ${plural(r.membershipsRemoved, 'album membership')} the kept images were given taken back.\n`);
              if (r.gone > 0) io.stderr.write(`shoebox: ${plural(r.gone, 'image')} could not come back: purged from Trash, restored from it already, or moved to Trash again since.\n`);
              if (r.membershipsKept > 0) io.stderr.write(`shoebox: the kept images stay in ${plural(r.membershipsKept, 'album')} they were given, where the images they stood in for did not come back (so no album loses its scene).\n`);
            }
            return ExitCode.ok;
          }
          if (cmd.indexing) {
            engine.similar.setEnabled(cmd.indexing === 'on');
            io.stdout.write(g.json ? `${jsonText({ indexing: cmd.indexing })}\n` : `Background indexing is ${cmd.indexing}.\n`);
            return ExitCode.ok;
          }
          const threshold = cmd.threshold === undefined ? DEFAULT_THRESHOLD : Number(cmd.threshold);
          if (!(threshold > 0 && threshold <= 1)) throw new ShoeboxError('USAGE', `--threshold is a similarity above 0 and at most 1 (default ${DEFAULT_THRESHOLD}), not "${cmd.threshold}".`);
          const before = engine.similar.status();
          if (before.modelMessage) throw new ShoeboxError('NOT_FOUND', before.modelMessage);
          if (before.pending > 0) {
            const started = Date.now();
            let stopped = false;
            const n = await interruptible(
              io,
              (signal) =>
                engine.similar.index({
                  shouldStop: () => (stopped = signal.aborted),
                  onProgress: (d) => { if (!g.json && io.stderr.isTTY) io.stderr.write(`\rindexing ${d}/${plural(before.pending, 'image')}…`); },
                }),
              'the images in progress (each batch of 32 is kept as it finishes)',
            );
            if (!g.json) io.stderr.write(`${io.stderr.isTTY ? '\n' : ''}indexed ${plural(n, 'image')} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
            if (stopped) {
              const left = engine.similar.status();
              if (g.json) io.stdout.write(`${jsonText({ ...left, interrupted: true })}\n`);
              else if (left.pending > 0) io.stderr.write(`shoebox: indexing interrupted, ${plural(left.pending, 'image')} still to index; run \`shoebox similar\` again to continue (the ${n} indexed are kept).\n`);
              else io.stderr.write('shoebox: stopped; every image is indexed (run `shoebox similar` again to see the groups).\n');
              return ExitCode.interrupted;
            }
          }
          const s = engine.similar.status();
          if (cmd.indexOnly) {
            io.stdout.write(g.json ? `${jsonText({ ...s, failures: engine.similar.failures(MAX_JSON_FAILURES) })}\n` : `${plural(s.indexed, 'image')} indexed (${s.failed} could not be read), model ${s.modelId}.\n`);
          }
          if (!g.json && s.missingBytes > 0) io.stderr.write(`shoebox: ${plural(s.missingBytes, 'image')} could not be indexed: the library's stored copy is missing. \`shoebox check --repair\` restores it from the original where that is still on disk; \`shoebox check\` lists them.\n`);
          if (!g.json && s.failed > 0) printFailures(io, engine.similar.failures(MAX_LISTED_FAILURES), s.failed);
          if (cmd.indexOnly) return ExitCode.ok;
          const groups = await engine.similar.groups(threshold);
          if (!g.json) printGroups(io, groups, threshold, cmd.allGroups === true);
          // only near-identical groups are applied by default; looser ones are for review (issue #17)
          const chosen = groups.filter((x) => x.preselected || cmd.allGroups);
          const count = chosen.reduce((n, x) => n + x.images.length - x.keep.length, 0);
          const apply = chosen.length > 0 && (cmd.yes || (!g.json && (await confirm(io, `Move ${plural(count, 'image')} of ${plural(chosen.length, `${cmd.allGroups ? '' : 'near-identical '}group`)} to Trash?`))));
          if (!apply) {
            if (g.json) io.stdout.write(`${jsonText({ threshold, groups, applied: null })}\n`);
            else if (groups.length) io.stdout.write(`Nothing changed. Run with --yes to keep the best shot of each near-identical group and move the others to Trash${groups.some((x) => !x.preselected) ? ' (add --all-groups for the groups marked "review")' : ''}.\n`);
            return ExitCode.ok;
          }
          const results = [];
          const undoId = engine.similar.beginApply();
          for (const x of chosen) results.push({ id: x.id, ...(await engine.similar.apply({ keep: x.keep, remove: x.images.map((i) => i.fileId).filter((id) => !x.keep.includes(id)) }, undoId)) });
          if (g.json) io.stdout.write(`${jsonText({ threshold, groups, applied: results })}\n`);
          else {
            const applied = results.filter((r) => r.status === 'applied');
            const moved = applied.reduce((n, r) => n + (r.status === 'applied' ? r.trashed : 0), 0);
            io.stdout.write(`Done: ${plural(applied.length, 'group')}, ${plural(moved, 'image')} moved to Trash${moved > 0 ? ' (restorable for 30 days; `shoebox similar --undo` takes it all back)' : ''}.\n`);
            for (const r of results) if (r.status === 'skipped') io.stderr.write(`  skipped group ${r.id}: ${r.reason}\n`);
          }
          return results.some((r) => r.status === 'skipped') ? ExitCode.partial : ExitCode.ok;
        }),
      );
    });
}

/** Images that could not be read, listed by name after indexing; --json lists up to MAX_JSON_FAILURES. */
const MAX_LISTED_FAILURES = 10;
const MAX_JSON_FAILURES = 10_000;

/** Says which images the model could not read and why (on stderr: the groups stay on stdout). */
function printFailures(io: CliIO, failures: IndexFailure[], total: number): void {
  io.stderr.write(`${plural(total, 'image')} could not be read for Similar images (left out of the groups; tried again when the model changes):\n`);
  for (const f of failures) io.stderr.write(`  ${f.name === null ? '(no file names these bytes)' : printable(f.name)}: ${printable(oneLine(f.message))}\n`);
  if (total > failures.length) io.stderr.write(`  … and ${total - failures.length} more (\`shoebox --json similar --index-only\` lists them all)\n`);
}

/** A decoder's message on one line: libvips repeats its lines, one per attempt. */
function oneLine(message: string): string {
  return [...new Set(message.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))].join('; ');
}

function printGroups(io: CliIO, groups: SimilarGroup[], threshold: number, allGroups: boolean): void {
  if (groups.length === 0) {
    io.stdout.write(`No similar images at threshold ${threshold}.\n`);
    return;
  }
  for (const g of groups) {
    io.stdout.write(`group ${g.id}  ${plural(g.images.length, 'image')}  ${g.preselected ? 'near-identical' : allGroups ? 'review (not near-identical; --all-groups applies it)' : 'review (not near-identical: left alone unless --all-groups)'}\n`);
    for (const i of g.images) {
      const dims = i.width && i.height ? `${i.width}×${i.height}` : '?×?';
      const how = i.fileId === g.reference ? `reference, kept: ${g.keepReason}` : `similarity ${i.similarity.toFixed(3)}`;
      const action = g.keep.includes(i.fileId) ? 'keep ' : g.preselected || allGroups ? 'trash' : '  ?  ';
      io.stdout.write(`  ${action} ${String(i.fileId).padStart(6)}  ${printable(i.name)}  ${dims}  ${formatBytes(i.size)}  ${how}  in ${i.albums.map(printable).join(', ') || 'Uncategorized'}\n`);
    }
  }
  const near = groups.filter((g) => g.preselected).length;
  io.stdout.write(`${plural(groups.length, 'group')} at threshold ${threshold}: ${near} near-identical, ${groups.length - near} for review. The kept image joins the albums of the ones removed, so every album keeps its scene.\n`);
}
