import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { Engine } from '../../core/engine.js';
import { ShoeboxError } from '../../core/errors.js';
import { formatBytes, plural, printable, jsonText } from '../../core/format.js';
import type { FreeUpRequest, FreeUpReview } from '../../core/free-up/free-up-service.js';
import type { FreeUpProgress } from '../../core/free-up/free-up-review.js';
import { whereLooked } from '../../core/free-up/free-up-words.js';
import { parseOlderThan } from '../../core/free-up/older-than.js';
import { interruptible, reportError, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { confirm } from './dedup-commands.js';

interface FreeUpFlags {
  /** Parsed while the command line is read (olderThanOption). */
  olderThan?: number;
  album?: string[];
  requireOffsite?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  delete?: boolean;
}

/** `--older-than` as a time (older-than.ts), read while the command line is parsed: a bad one stops everything before it starts (exit 2), naming the value and the forms it may take. */
function olderThanOption(text: string): number {
  const r = parseOlderThan(text);
  if ('error' in r) throw new InvalidArgumentError(r.error);
  return r.ms;
}

/** `shoebox free-up` and `shoebox import` (DESIGN §11, issue #20). */
export function registerFreeUpCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  // `--album` takes one name and may be repeated: a variadic option would swallow the paths after it.
  const collect = (name: string, names: string[] = []) => [...names, name];
  const withFlags = (c: Command, albumFilter: boolean) =>
    (albumFilter ? c.option('--album <name>', 'only files in this album (repeat for more)', collect) : c.option('--album <name>', 'the album to back the card up into (default: the card folder\'s name)'))
      .option('--older-than <date>', 'only files dated before this (2024-01-31, 2024-01-31T18:00, or an age: 90d, 6m, 2y)', olderThanOption)
      .option('--require-offsite', 'only files whose offsite copy is verified too (default where the library has a remote)')
      .option('--no-require-offsite', 'do not check offsite copies')
      .option('--dry-run', albumFilter ? 'only review: change nothing' : 'back the card up, but only review what could be freed')
      .option('--yes', 'free them without asking')
      .option('--delete', 'delete verified files instead of moving them to the system Trash');

  withFlags(
    program
      .command('free-up')
      .description('delete local originals that are provably safe in the library: verified now, moved to the system Trash')
      .argument('[paths...]', 'folders or files (default: every watched folder)'),
    true,
  ).action(async (paths: string[], flags: FreeUpFlags, self: Command) => {
    const g = self.optsWithGlobals<GlobalOptions>();
    done(await withEngine(io, g, false, (engine) => freeUp(engine, io, g, paths, flags)));
  });

  withFlags(
    program
      .command('import')
      .description('back up a camera card or phone folder into one album; with --free-up, then free it under the same rules')
      .argument('<card>', 'the card or folder')
      .option('--free-up', 'after the backup, free the card: what is verified in the library moves to the Trash'),
    false,
  ).action(async (card: string, cardFlags: Omit<FreeUpFlags, 'album'> & { album?: string; freeUp?: boolean }, self: Command) => {
    const g = self.optsWithGlobals<GlobalOptions>();
    const { album: chosen, ...flags } = cardFlags;
    const freeing = (['olderThan', 'requireOffsite', 'dryRun', 'yes', 'delete'] as const).filter((k) => flags[k] !== undefined);
    if (!flags.freeUp && freeing.length > 0) {
      const flag = (k: string) => `--${k.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
      const what = `${freeing.map(flag).join(', ')} ${freeing.length === 1 ? 'is' : 'are'} for freeing the card`;
      done(reportError(io, g, new ShoeboxError('USAGE', `${what}: add --free-up (or leave ${freeing.length === 1 ? 'it' : 'them'} out to only back it up).`)));
      return;
    }
    done(
      await withEngine(io, g, true, async (engine) => {
        const album = chosen ?? path.basename(path.resolve(card));
        if (!g.json) io.stderr.write(`Backing up ${card} into the album "${album}"…\n`);
        const s = await engine.upload({ paths: [card], mode: 'single', album });
        if (!g.json) io.stderr.write(`${plural(s.filesTotal, 'file')}: ${s.stored + s.created} new, ${s.linked} added to the album, ${s.skipped} already backed up, ${s.ignored} not photos or videos, ${s.failed} failed.\n`);
        if (s.failed > 0 && !g.json) for (const f of s.failures) io.stderr.write(`  ✗ ${printable(f.path)}: ${printable(f.message)}\n`);
        if (!flags.freeUp) {
          if (g.json) io.stdout.write(`${jsonText({ upload: s })}\n`);
          return s.failed > 0 ? ExitCode.partial : ExitCode.ok;
        }
        const offsite = flags.requireOffsite ?? engine.remotes.list().length > 0;
        for (const r of offsite ? engine.remotes.list() : []) {
          // The new photos are not offsite yet: push them before asking for verified copies.
          if (!g.json) io.stderr.write(`Pushing to ${r.url} first (the offsite copies are verified before anything is freed)…\n`);
          const p = await engine.remotes.push(r.url);
          if (p.failed.length > 0 && !g.json) io.stderr.write(`  ${p.failed.length} could not be pushed; those stay on the card.\n`);
        }
        const code = await freeUp(engine, io, g, [card], { ...flags, requireOffsite: offsite }, s);
        return s.failed > 0 && code === ExitCode.ok ? ExitCode.partial : code;
      }),
    );
  });
}

/** Reviews, shows, asks (or takes --yes), applies. */
async function freeUp(engine: Engine, io: CliIO, g: GlobalOptions, paths: string[], flags: FreeUpFlags, upload?: unknown): Promise<number> {
  const req: FreeUpRequest = {
    paths,
    ...(flags.olderThan !== undefined ? { olderThan: flags.olderThan } : {}),
    ...(flags.album ? { albums: flags.album } : {}),
    ...(flags.requireOffsite !== undefined ? { requireOffsite: flags.requireOffsite } : {}),
    ...(flags.delete ? { delete: true } : {}),
  };
  const progress = progressLine(io, !!g.json);
  const review = await engine.freeUp.review(req, { onProgress: progress });
  progress.end();
  const where = review.method === 'trash' ? `moved to ${engine.freeUp.trashLabel ?? 'the Trash'}` : 'deleted (not recoverable from a Trash)';
  if (!g.json) printReview(io, review, where);
  const n = review.qualifying.files;
  const apply = !flags.dryRun && n > 0 && (flags.yes || (!g.json && (await confirm(io, `${review.method === 'trash' ? 'Move' : 'Delete'} ${plural(n, 'file')} (${formatBytes(review.qualifying.bytes)})${review.method === 'trash' ? ' to the Trash' : ''}?`))));
  const listing = () => {
    const f = engine.freeUp.findings(review.id);
    return { qualifying: f.candidates.map(({ path: p, size, hash, fileId }) => ({ path: p, size, hash, fileId })), kept: f.kept };
  };
  if (!apply) {
    if (g.json) io.stdout.write(`${jsonText({ ...(upload ? { upload } : {}), review, ...listing(), applied: null })}\n`);
    else if (n > 0 && !flags.dryRun) io.stdout.write('Nothing changed. Run with --yes to free them.\n');
    return review.unreadable.length > 0 ? ExitCode.partial : ExitCode.ok;
  }
  const all = g.json ? listing() : undefined;
  // Each file is in place or in the Trash at any instant: a second Ctrl-C may stop at once.
  const result = await interruptible(io, async (signal) => {
    const moving = progressLine(io, !!g.json);
    const r = await engine.freeUp.apply(review.id, { onProgress: moving, signal });
    moving.end();
    return r;
  });
  if (g.json) io.stdout.write(`${jsonText({ ...(upload ? { upload } : {}), review, ...all, applied: result })}\n`);
  else {
    const stopped = result.interrupted ? ' (Stopped early: the rest are untouched; run again to continue.)' : '';
    if (result.freed === 0) io.stdout.write(`Freed nothing: every file is where it was.${stopped}\n`);
    else io.stdout.write(`Freed ${plural(result.freed, 'file')}, ${formatBytes(result.bytesFreed)}: ${where}. Their library copies stay in every album.${stopped}\n`);
    if (result.method === 'trash' && result.freed > 0) io.stdout.write('The space comes back when the Trash is emptied; until then each file can be restored from it (Shoebox will not back it up again).\n');
    const skipped = result.skipped.reduce((n, k) => n + k.files, 0);
    if (skipped > 0) {
      io.stdout.write(`\nNot freed after all: ${plural(skipped, 'file')}, found at the last look before each went:\n`);
      printKept(io, result.skipped);
      repairHint(io, result.skipped);
    }
  }
  if (result.interrupted) return ExitCode.interrupted;
  return result.skipped.length > 0 || review.unreadable.length > 0 ? ExitCode.partial : ExitCode.ok;
}

function printReview(io: CliIO, r: FreeUpReview, where: string): void {
  const kept = r.kept.reduce((n, k) => n + k.files, 0);
  const looked = r.qualifying.files + kept + r.excluded;
  const read = r.bytesRead > 0 ? `; read ${formatBytes(r.bytesRead)} to verify them (sources and library copies${r.requireOffsite ? ', and offsite copies' : ''})` : '';
  io.stdout.write(`Looked at ${plural(looked, 'file')} ${whereLooked(r)}${r.excluded > 0 ? ` (${r.excluded} outside the date or album filter)` : ''}${read} in ${(r.durationMs / 1000).toFixed(1)} s.\n`);
  io.stdout.write(r.qualifying.files === 0 ? '\nNothing can be freed.\n' : `\nCan free ${plural(r.qualifying.files, 'file')}, ${formatBytes(r.qualifying.bytes)}: ${where}; their library copies stay in every album.\n`);
  for (const f of r.folders.slice(0, 10)) io.stdout.write(`  ${printable(f.path)}  ${plural(f.files, 'file')}, ${formatBytes(f.bytes)}\n`);
  if (r.folders.length > 10) io.stdout.write(`  … and ${plural(r.folders.length - 10, 'more folder')}\n`);
  if (kept > 0) io.stdout.write(`\nKept ${plural(kept, 'file')} (not freed):\n`);
  printKept(io, r.kept);
  if (r.unreadable.length > 0) io.stdout.write(`\nCould not read ${plural(r.unreadable.length, 'folder')}; nothing in ${r.unreadable.length === 1 ? 'it' : 'them'} is freed:\n`);
  for (const u of r.unreadable.slice(0, 10)) io.stdout.write(`  ${printable(u.path)} — ${u.reason}\n`);
  if (r.unreadable.length > 10) io.stdout.write(`  … and ${r.unreadable.length - 10} more (--json lists every one)\n`);
  if (!r.requireOffsite) io.stdout.write('\n(Offsite copies were not checked: the library has no remote, or --no-require-offsite.)\n');
  repairHint(io, r.kept);
  io.stdout.write('\n');
}

/** Kept files by reason, with the first few of each named. */
function printKept(io: CliIO, groups: FreeUpReview['kept']): void {
  for (const k of groups) {
    io.stdout.write(`  ${k.text}: ${plural(k.files, 'file')}, ${formatBytes(k.bytes)}\n`);
    for (const e of k.examples.slice(0, 5)) io.stdout.write(`    ${printable(e.path)}${e.detail ? ` — ${e.detail}` : ''}\n`);
    if (k.files > 5) io.stdout.write(`    … and ${k.files - 5} more (--json lists every one)\n`);
  }
}

/** The command-line way to store damaged or missing library copies again, when some were found (the engine's words name no command). */
function repairHint(io: CliIO, groups: FreeUpReview['kept']): void {
  if (groups.some((k) => k.reason === 'library-copy-damaged' || k.reason === 'library-copy-missing')) {
    io.stdout.write('\n(`shoebox check --repair` stores damaged or missing library copies again from their originals, which were kept; so does backing them up again.)\n');
  }
}

/** A progress line on a terminal (verifying / freeing); nothing otherwise. */
function progressLine(io: CliIO, quiet: boolean): ((p: FreeUpProgress) => void) & { end(): void } {
  let shown = false;
  const f = (p: FreeUpProgress) => {
    if (quiet || !io.stderr.isTTY) return;
    shown = true;
    const what = p.phase === 'scanning' ? `looking: ${plural(p.done, 'file')}` : `${p.phase}: ${p.done}/${plural(p.total, 'file')}, ${formatBytes(p.bytes)} read`;
    io.stderr.write(`\r${what}\u001b[K`);
  };
  return Object.assign(f, { end: () => void (shown && io.stderr.write('\n')) });
}
