import { Engine } from '../core/engine.js';
import { ShoeboxError, toShoeboxError } from '../core/errors.js';
import { resolveLibraryDir } from '../core/library/library-location.js';
import { createLogger, streamSink, type Logger } from '../core/logger.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';

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
 */
export async function withEngine(
  io: CliIO,
  opts: GlobalOptions,
  create: boolean,
  fn: (engine: Engine) => Promise<number> | number,
): Promise<number> {
  let engine: Engine | undefined;
  try {
    const threads = Number(io.env.SHOEBOX_THREADS) || undefined; // a tuning knob, documented in the README
    engine = Engine.open({ libraryDir: resolveLibraryDir(opts.library, io.env), create, log: cliLogger(io), ...(threads ? { threads } : {}) });
    return await fn(engine);
  } catch (err) {
    return reportError(io, opts, err);
  } finally {
    await engine?.close();
  }
}

/** Prints an error for a person (or as JSON) and returns its exit code. */
export function reportError(io: CliIO, opts: GlobalOptions, err: unknown): number {
  const e = toShoeboxError(err);
  if (opts.json) io.stdout.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
  io.stderr.write(`shoebox: ${e.userMessage}${e.hint ? ` ${e.hint}` : ''}\n`);
  if (!(err instanceof ShoeboxError)) io.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  return e.code === 'INTERNAL' ? ExitCode.internal : exitCodeFor(e.code);
}
