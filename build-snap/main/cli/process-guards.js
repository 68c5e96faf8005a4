import { ShoeboxError, isErrno } from '../core/errors.js';
import { processLimit, resourceLimitError } from '../core/system-limits.js';
/**
 * Output that nobody reads any more (`shoebox ls --json | head -1`: the reader closed the pipe)
 * ends quietly: later writes are dropped and the command finishes normally, closing the library
 * cleanly, instead of dying on an unhandled EPIPE with a stack trace. Another write failure of
 * the stream (a full disk behind `> file`) is said once, on stderr if it still works.
 */
export function guardOutput(stream, name, setExitCode) {
    stream.on('error', (err) => {
        stream.write = (() => true);
        const what = err.code ?? err.message;
        if (what === 'EPIPE')
            return; // the reader has all it wanted
        setExitCode(1);
        if (name === 'stdout')
            process.stderr.write(`shoebox: could not write the output (${what}).\n`);
    });
}
/** Address space below which Node and the engine cannot run reliably (measured ~1.05 GB; V8 aborts below ~0.75). */
const MIN_ADDRESS_SPACE = 1.1 * 1024 ** 3;
/** Refuses to start under an address-space limit too low to run at all (V8 would abort at random, uncatchably). */
export function preflight() {
    processLimit('Max open files'); // reads the limits now, while a descriptor is surely free
    const limit = processLimit('Max address space');
    if (limit === null || limit >= MIN_ADDRESS_SPACE)
        return undefined;
    const need = Math.ceil(MIN_ADDRESS_SPACE / 1024);
    return new ShoeboxError('RESOURCE_LIMIT', `The address-space limit of this process (ulimit -v: ${Math.round(limit / 1024)} KB) is too low for Shoebox to run. Raise it to at least ${need} KB (\`ulimit -v ${need}\`, or \`ulimit -v unlimited\`).`);
}
/**
 * What to say about a failure that escaped every command (loading the program, an error thrown
 * outside a command): a clear message for a system limit, else an internal error with its stack.
 */
export function describeFatal(err) {
    const limit = resourceLimitError(err) ?? moduleLoadFailure(err);
    if (limit)
        return { message: `shoebox: ${limit.userMessage}\n`, resourceLimit: true };
    if (err instanceof ShoeboxError)
        return { message: `shoebox: ${err.userMessage}\n`, resourceLimit: false };
    return { message: `shoebox: internal error (a bug; please report it): ${err?.stack ?? String(err)}\n`, resourceLimit: false };
}
/**
 * Node reports a module it could not open for lack of file descriptors as "Cannot find package"
 * (ERR_MODULE_NOT_FOUND): under a low open-files limit, say that instead.
 */
function moduleLoadFailure(err) {
    if (!isErrno(err, 'ERR_MODULE_NOT_FOUND'))
        return undefined;
    const limit = processLimit('Max open files');
    if (limit === null || limit >= 1024)
        return undefined;
    return new ShoeboxError('RESOURCE_LIMIT', `Shoebox could not load its own modules: the open-files limit of this process is ${limit} (ulimit -n). Raise it (\`ulimit -n 4096\`) and run again.`, { cause: err });
}
//# sourceMappingURL=process-guards.js.map