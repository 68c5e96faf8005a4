/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go: stderr for the CLI, a rotating file for the desktop app (log-file.ts, [Note: Log file]), memory in tests. */
export type LogSink = (level: LogLevel, scope: string, message: string, fields?: Record<string, unknown>) => void;

/** A scoped logger injected into every engine component. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger for a sub-scope, e.g. `log.child('upload')` logs as `upload`. */
  child(scope: string): Logger;
}

/**
 * Creates a logger. Debug lines are kept only for scopes named in `debugScopes`
 * (from SHOEBOX_DEBUG=watch,upload; `*` turns on all), like syncthing's STTRACE.
 */
export function createLogger(sink: LogSink, debugScopes: string = '', scope = 'shoebox'): Logger {
  const enabled = new Set(debugScopes.split(',').map((s) => s.trim()).filter(Boolean));
  const debugOn = (s: string): boolean => enabled.has('*') || [...enabled].some((e) => s === e || s.endsWith(`.${e}`) || s.split('.').includes(e));
  const make = (sc: string): Logger => ({
    debug: (m, f) => { if (debugOn(sc)) sink('debug', sc, m, f); },
    info: (m, f) => sink('info', sc, m, f),
    warn: (m, f) => sink('warn', sc, m, f),
    error: (m, f) => sink('error', sc, m, f),
    child: (name) => make(`${sc}.${name}`),
  });
  return make(scope);
}

/** A sink that writes one line per entry to a stream (stderr in the CLI), warnings and up unless debug. */
export function streamSink(stream: NodeJS.WritableStream, minLevel: LogLevel = 'warn'): LogSink {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return (level, scope, message, fields) => {
    if (level !== 'debug' && order.indexOf(level) < order.indexOf(minLevel)) return;
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    stream.write(`${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${message}${extra}\n`);
  };
}

/** A sink that writes every entry to each of the given sinks (the desktop app: its log file, and warnings to stderr). */
export function teeSink(...sinks: LogSink[]): LogSink {
  return (level, scope, message, fields) => {
    for (const sink of sinks) sink(level, scope, message, fields);
  };
}

/** A logger that drops everything (for tests that don't look at logs). */
export const silentLogger: Logger = createLogger(() => undefined);
