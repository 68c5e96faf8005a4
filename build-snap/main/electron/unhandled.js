/** An error as one log field: its stack (the log is for us), its code and user message when it is a ShoeboxError, its cause. */
export function errorFields(err) {
    if (!(err instanceof Error))
        return { error: String(err) };
    const e = err;
    return {
        error: e.stack ?? `${e.name}: ${e.message}`,
        ...(e.code !== undefined ? { code: e.code } : {}),
        ...(typeof e.userMessage === 'string' ? { userMessage: e.userMessage } : {}),
        ...(e.cause !== undefined ? { cause: e.cause instanceof Error ? (e.cause.stack ?? e.cause.message) : JSON.stringify(e.cause) } : {}),
    };
}
/**
 * Sends every uncaught exception and unhandled rejection of the process to the log (ente's
 * main/log.ts does the same), so a tray app started at login leaves a trace. The process keeps
 * running, as Electron's main process does by default, but without Electron's dialog showing a
 * stack to the user; the engine's writes are transactions, so a failed step leaves the library
 * consistent. Returns the function that removes the handlers.
 */
export function logUnhandled(proc, log) {
    const onException = (err, origin) => log.error('uncaught exception', { origin: String(origin), ...errorFields(err) });
    const onRejection = (reason) => log.error('unhandled promise rejection', errorFields(reason));
    proc.on('uncaughtException', onException);
    proc.on('unhandledRejection', onRejection);
    return () => {
        proc.off('uncaughtException', onException);
        proc.off('unhandledRejection', onRejection);
    };
}
//# sourceMappingURL=unhandled.js.map