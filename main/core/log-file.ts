import path from 'node:path';
import { userHome } from './library/library-location.js';
import { createStream } from 'rotating-file-stream';
import { streamSink, type LogLevel, type LogSink } from './logger.js';

/** The current log file's name; rotated ones are shoebox.log.1 (newest) … shoebox.log.N. */
export const LOG_FILE_NAME = 'shoebox.log';

/**
 * The platform's folder for the desktop app's logs: `$XDG_STATE_HOME/shoebox/logs` on Linux
 * (`~/.local/state/…` by default: logs are state, not configuration or data), `~/Library/Logs/Shoebox`
 * on macOS, `%LOCALAPPDATA%\Shoebox\logs` on Windows. `SHOEBOX_LOG_DIR` overrides it (tests).
 */
export function defaultLogDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = userHome()): string {
  if (env.SHOEBOX_LOG_DIR && path.isAbsolute(env.SHOEBOX_LOG_DIR)) return env.SHOEBOX_LOG_DIR;
  if (platform === 'darwin') return path.join(home, 'Library', 'Logs', 'Shoebox');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Shoebox', 'logs');
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(home, '.local', 'state');
  return path.join(state, 'shoebox', 'logs');
}

/** An open log file: its sink for the Logger, where it is, and how to flush and close it. */
export interface LogFile {
  readonly path: string;
  readonly sink: LogSink;
  /** Writes out what is buffered and closes the file (on quit). */
  close(): Promise<void>;
}

/**
 * [Note: Log file]
 * The desktop app's log (STYLE "Logging"): one line per entry as on the CLI's stderr, into
 * `<dir>/shoebox.log`, rotated by size (default 1 MiB) into shoebox.log.1 … .N (default 4), so
 * it never takes more than about (N+1) × size. Writes are asynchronous (a stream), never a
 * synchronous write per line in the main process. The file is rotated by rotating-file-stream
 * rather than electron-log: electron-log's file transport writes each line with a synchronous
 * append by default, keeps a single `.old` file, brings a second logger (levels, scopes,
 * formats, renderer IPC) beside ours, and its main entry imports electron, so the same sink
 * could not be tested under plain Node. If the file can't be written (disk full, permissions),
 * `onError` is told once and lines go to the fallback sink (stderr) instead.
 */
export function openLogFile(dir: string, opts: { maxBytes?: number; keep?: number; minLevel?: LogLevel; onError?: (err: Error) => void; fallback?: LogSink } = {}): LogFile {
  const stream = createStream(LOG_FILE_NAME, { path: dir, size: `${opts.maxBytes ?? 1024 * 1024}B`, rotate: opts.keep ?? 4, mode: 0o600 });
  const fallback = opts.fallback ?? streamSink(process.stderr, opts.minLevel ?? 'info');
  let failed = false;
  stream.on('error', (err: Error) => {
    if (failed) return; // told once; the fallback already carries every line since
    failed = true;
    (opts.onError ?? ((e: Error) => process.stderr.write(`Shoebox: cannot write the log file in ${dir}: ${e.message}; logging to stderr instead\n`)))(err);
  });
  stream.on('warning', (err: Error) => process.stderr.write(`Shoebox: log file warning: ${err.message}\n`));
  const toFile = streamSink(stream, opts.minLevel ?? 'info');
  return {
    path: path.join(dir, LOG_FILE_NAME),
    sink: (level, scope, message, fields) => (failed || stream.destroyed ? fallback : toFile)(level, scope, message, fields),
    close: () =>
      new Promise<void>((resolve) => {
        if (failed || stream.destroyed || stream.writableFinished) return resolve();
        stream.end(() => resolve());
      }),
  };
}
