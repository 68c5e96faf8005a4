/**
 * Creates a logger. Debug lines are kept only for scopes named in `debugScopes`
 * (from SHOEBOX_DEBUG=watch,upload; `*` turns on all), like syncthing's STTRACE.
 */
export function createLogger(sink, debugScopes = '', scope = 'shoebox') {
    const enabled = new Set(debugScopes.split(',').map((s) => s.trim()).filter(Boolean));
    const debugOn = (s) => enabled.has('*') || [...enabled].some((e) => s === e || s.endsWith(`.${e}`) || s.split('.').includes(e));
    const make = (sc) => ({
        debug: (m, f) => { if (debugOn(sc))
            sink('debug', sc, m, f); },
        info: (m, f) => sink('info', sc, m, f),
        warn: (m, f) => sink('warn', sc, m, f),
        error: (m, f) => sink('error', sc, m, f),
        child: (name) => make(`${sc}.${name}`),
    });
    return make(scope);
}
/** A sink that writes one line per entry to a stream (stderr in the CLI), warnings and up unless debug. */
export function streamSink(stream, minLevel = 'warn') {
    const order = ['debug', 'info', 'warn', 'error'];
    return (level, scope, message, fields) => {
        if (level !== 'debug' && order.indexOf(level) < order.indexOf(minLevel))
            return;
        const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
        stream.write(`${new Date().toISOString()} ${level.padEnd(5)} [${scope}] ${message}${extra}\n`);
    };
}
/** A sink that writes every entry to each of the given sinks (the desktop app: its log file, and warnings to stderr). */
export function teeSink(...sinks) {
    return (level, scope, message, fields) => {
        for (const sink of sinks)
            sink(level, scope, message, fields);
    };
}
/** A logger that drops everything (for tests that don't look at logs). */
export const silentLogger = createLogger(() => undefined);
//# sourceMappingURL=logger.js.map