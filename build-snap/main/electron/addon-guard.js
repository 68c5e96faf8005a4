import path from 'node:path';
import { ShoeboxError } from '../core/errors.js';
import { classifyAddonFile } from './native-addons.js';
/**
 * Guards every native addon the process loads (`require` of a `.node` file goes through
 * `process.dlopen`): a V8-ABI addon built for another NODE_MODULE_VERSION is refused with a
 * ShoeboxError naming it and saying what to do, before the runtime's own cryptic refusal (or
 * worse). N-API addons and builds for this ABI load as usual. Installed in the Electron main
 * process; returns the function that removes it. See [Note: Native addons and Electron].
 */
export function guardAddonLoading(proc, classify = classifyAddonFile) {
    const original = proc.dlopen;
    const seen = new Map();
    const abi = Number(proc.versions.modules);
    proc.dlopen = function guardedDlopen(module, filename, ...flags) {
        let kind = seen.get(filename);
        if (!kind) {
            kind = classify(filename);
            seen.set(filename, kind);
        }
        if (kind.kind === 'v8' && kind.abi !== null && kind.abi !== abi) {
            const runtime = proc.versions.electron ? `Electron ${proc.versions.electron}` : 'this Node';
            throw new ShoeboxError('NATIVE_BUILD_MISSING', `The native module ${path.basename(filename)} is built for another runtime (ABI ${kind.abi}), not for ${runtime} (ABI ${abi}), and it has no build for it. ` +
                'Start Shoebox with `npm start` (it builds the Electron copies once) or reinstall it.', { cause: new Error(filename) });
        }
        return original.call(this, module, filename, ...flags); // no `undefined` flags: dlopen refuses them
    };
    return () => {
        proc.dlopen = original;
    };
}
//# sourceMappingURL=addon-guard.js.map