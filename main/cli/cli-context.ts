import type { Engine } from '../core/engine.js';
import { ShoeboxError, toShoeboxError } from '../core/errors.js';
import { libraryPaths, resolveLibraryDir } from '../core/library/library-location.js';
import { catalogDamagedError, isCatalogDamage } from '../core/catalog/catalog-damage.js';
import { resourceLimitError } from '../core/system-limits.js';
import { createLogger, streamSink, type Logger } from '../core/logger.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { jsonText, showRawBytes } from '../core/format.js';

/** Options every command accepts. */
export interface GlobalOptions {
  library?: string;
  json?: boolean;
}

/** Where a command writes: stdout for results, stderr for messages and progress. */
export interface CliIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** The CLI's logger: warnings and errors to stderr, debug per scope from SHOEBOX_DEBUG. */
export function cliLogger(io: CliIO): Logger {
  return createLogger(streamSink(io.stderr, io.env.SHOEBOX_DEBUG ? 'info' : 'warn'), io.env.SHOEBOX_DEBUG ?? '');
}

/**
 * Opens the library, runs the command, always closes. Returns the exit code; a ShoeboxError is
 * printed as its user message (and as JSON with --json), anything else as an internal error.
 * A damaged catalog, found at open or by any query, gets the one message of [Note: A damaged
 * catalog] (or `onCatalogDamage`, which `check` uses to describe the damage).
 */
export async function withEngine(
  io: CliIO,
  opts: GlobalOptions,
  create: boolean,
  fn: (engine: Engine) => Promise<number> | number,
  onCatalogDamage?: (err: ShoeboxError) => Promise<number> | number,
): Promise<number> {
  let engine: Engine | undefined;
  let libraryDir: string;
  try {
    libraryDir = resolveLibraryDir(opts.library, io.env);
  } catch (err) {
    return reportError(io, opts, err);
  }
  try {
    const threads = Number(io.env.SHOEBOX_THREADS) || undefined; // a tuning knob, documented in the README
    // Loaded on first use: `--help` and usage errors need none of the engine (and load faster,
    // opening fewer files at once: under `ulimit -n 64` the whole module graph at once was too many).
    const { Engine } = await import('../core/engine.js');
    engine = Engine.open({ libraryDir, create, log: cliLogger(io), ...(threads ? { threads } : {}) });
    return await fn(engine);
  } catch (err) {
    if (!isCatalogDamage(err)) return reportError(io, opts, err);
    const damage = catalogDamagedError(libraryPaths(libraryDir).catalog, err, recoverCommand(opts, libraryDir));
    return onCatalogDamage ? await onCatalogDamage(damage) : reportError(io, opts, damage);
  } finally {
    await engine?.close();
  }
}

/** The exact command that recovers this library's catalog (naming the library when the person did). */
/**
 * Runs a long command that stops cleanly on Ctrl-C or SIGTERM: the first one aborts `signal`
 * (the command finishes the work in progress, which is safe at every instant, and says so); a
 * second one exits at once with what is already committed kept.
 */
export async function interruptible<T>(io: CliIO, run: (signal: AbortSignal) => Promise<T>, what = 'the files in progress'): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    io.stderr.write(`\nshoebox: stopping after ${what} (Ctrl-C again to stop now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function recoverCommand(opts: GlobalOptions, libraryDir: string): string {
  if (opts.library === undefined) return 'shoebox check --recover';
  const quoted = /^[\w./@%+,:=-]+$/.test(libraryDir) ? libraryDir : `'${libraryDir.replace(/'/g, `'\\''`)}'`;
  return `shoebox --library ${quoted} check --recover`;
}

/** Prints an error for a person (or as JSON) and returns its exit code. */
export function reportError(io: CliIO, opts: GlobalOptions, err: unknown): number {
  const limit = resourceLimitError(err); // too many open files, out of memory: say which limit
  const e = limit ?? toShoeboxError(err);
  if (opts.json) io.stdout.write(`${jsonText({ error: e.toJSON() })}\n`);
  io.stderr.write(`shoebox: ${showRawBytes(e.userMessage)}${e.hint ? ` ${showRawBytes(e.hint)}` : ''}\n`); // a name byte that is not UTF-8 as \xff, never a NUL
  if (!limit && !(err instanceof ShoeboxError)) io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  return e.code === 'INTERNAL' ? ExitCode.internal : exitCodeFor(e.code);
}
